// MakeTestCerts: a throwaway certificate authority, a server certificate
// for localhost / 127.0.0.1 and a client certificate, made with the openssl
// command-line tool in `dir` (test-only; the files live as long as the
// directory).
#ifndef CABLES_SERVICES_COMMON_TESTING_TEST_CERTS_H_
#define CABLES_SERVICES_COMMON_TESTING_TEST_CERTS_H_

#include <string>

#include "absl/status/statusor.h"

namespace cables::testing {

struct TestCerts {
  std::string ca_cert;      // CA certificate (PEM file path)
  std::string server_cert;  // CN=localhost, SAN DNS:localhost, IP:127.0.0.1
  std::string server_key;
  std::string client_cert;  // CN=test-client, signed by the same CA
  std::string client_key;
  std::string other_ca_cert;  // an unrelated CA (for "wrong CA" cases)
};

// UnavailableError when openssl is missing or fails.
absl::StatusOr<TestCerts> MakeTestCerts(const std::string& dir);

}  // namespace cables::testing

#endif  // CABLES_SERVICES_COMMON_TESTING_TEST_CERTS_H_
