#include "services/common/testing/test_certs.h"

#include <cstdlib>
#include <fstream>

#include "absl/strings/str_cat.h"

namespace cables::testing {
namespace {

absl::Status Run(const std::string& dir, const std::string& command) {
  const std::string line =
      absl::StrCat("cd '", dir, "' && ", command, " >openssl.log 2>&1");
  if (std::system(line.c_str()) != 0) {
    return absl::UnavailableError(
        absl::StrCat("openssl failed (see ", dir, "/openssl.log): ", command));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<TestCerts> MakeTestCerts(const std::string& dir) {
  const std::string key =
      "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
  {
    std::ofstream ext(dir + "/server.ext");
    ext << "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
           "extendedKeyUsage=serverAuth\n";
    std::ofstream client_ext(dir + "/client.ext");
    client_ext << "extendedKeyUsage=clientAuth\n";
  }
  for (
      const std::string& command : {
          absl::StrCat(
              "openssl req -x509 ", key,
              " -keyout ca.key -out ca.pem -days 2 -subj '/CN=Cables Test CA'"),
          absl::StrCat(
              "openssl req -x509 ", key,
              " -keyout other.key -out other.pem -days 2 -subj '/CN=Other CA'"),
          absl::StrCat(
              "openssl req ", key,
              " -keyout server.key -out server.csr -subj '/CN=localhost'"),
          std::string(
              "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key "
              "-CAcreateserial -out server.pem -days 2 -extfile server.ext"),
          absl::StrCat(
              "openssl req ", key,
              " -keyout client.key -out client.csr -subj '/CN=test-client'"),
          std::string(
              "openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key "
              "-CAcreateserial -out client.pem -days 2 -extfile client.ext"),
      }) {
    if (absl::Status s = Run(dir, command); !s.ok()) return s;
  }
  return TestCerts{dir + "/ca.pem",     dir + "/server.pem",
                   dir + "/server.key", dir + "/client.pem",
                   dir + "/client.key", dir + "/other.pem"};
}

}  // namespace cables::testing
