#!/usr/bin/python3
"""End to end from Python: the generated stubs (cables_proto_python) against
running cables-ingest, cables-metadata and cables-search.

Run by python_e2e_test.sh, which starts the services on a fresh database
and sets CABLES_INGEST_ADDR, CABLES_METADATA_ADDR, CABLES_SEARCH_ADDR,
CABLES_CORPUS (the real cables) and PYTHONPATH (the generated modules).

  - a few real cables are ingested with IngestCable (CREATED, then
    UNCHANGED when sent again);
  - GetCable accepts a non-canonical name (any case, a station alias);
  - SearchCables finds them by words and by id, and its pages, followed by
    next_page_token, list every match once; a syntax error is
    INVALID_ARGUMENT with a BadRequest for field "query" naming the
    position;
  - SuggestCables completes an id and a subject; SimilarCables lists other
    cables, and NOT_FOUND for a cable not stored;
  - errors: INVALID_ARGUMENT with a google.rpc.BadRequest in
    grpc-status-details-bin for a malformed name, NOT_FOUND for a
    well-formed name that is not stored.
"""
import os
import pathlib
import time
import unittest

import grpc

from cables.v1 import cable_pb2  # noqa: F401  (registers the message types)
from cables.v1 import error_details_pb2
from cables.v1 import ingest_service_pb2
from cables.v1 import ingest_service_pb2_grpc
from cables.v1 import metadata_service_pb2
from cables.v1 import metadata_service_pb2_grpc
from cables.v1 import search_service_pb2
from cables.v1 import search_service_pb2_grpc

CORPUS = pathlib.Path(os.environ["CABLES_CORPUS"])
# Real cables: one from Rio de Janeiro (station alias RIO), then any.
CABLES = [
    "2008/06/08DAMASCUS427.html",
    "2008/06/08RIODEJANEIRO171.html",
]
TIMEOUT = 30


def _details(error):
    """The google.rpc.Status of a failed call's trailing metadata."""
    for key, value in error.trailing_metadata() or ():
        if key == "grpc-status-details-bin":
            return error_details_pb2.RpcStatus.FromString(value)
    return None


class CableArchiveTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.channels = []

        def channel(env):
            c = grpc.insecure_channel(os.environ[env])
            grpc.channel_ready_future(c).result(timeout=TIMEOUT)
            cls.channels.append(c)
            return c

        cls.ingest = ingest_service_pb2_grpc.IngestServiceStub(channel("CABLES_INGEST_ADDR"))
        cls.metadata = metadata_service_pb2_grpc.MetadataServiceStub(
            channel("CABLES_METADATA_ADDR"))
        cls.search = search_service_pb2_grpc.SearchServiceStub(channel("CABLES_SEARCH_ADDR"))
        cls.files = [p for p in (CORPUS / c for c in CABLES) if p.exists()]
        # More real cables, so ranking has something to rank.
        cls.files += sorted(CORPUS.glob("2009/*/*.html"))[:12]
        cls.outcomes = {}
        for path in cls.files:
            response = cls.ingest.IngestCable(
                ingest_service_pb2.IngestCableRequest(
                    content=path.read_bytes(), source=path.name),
                timeout=TIMEOUT)
            cls.outcomes[path.name] = response
        # The search index follows the database: wait until it holds them
        # all (the empty query matches every cable).
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            found = cls.search.SearchCables(
                search_service_pb2.SearchCablesRequest(query=""), timeout=TIMEOUT)
            if found.total_size == len(cls.files):
                break
            time.sleep(0.2)

    @classmethod
    def tearDownClass(cls):
        for c in cls.channels:
            c.close()

    def test_ingest_created_then_unchanged(self):
        self.assertGreaterEqual(len(self.files), 10)
        for name, response in self.outcomes.items():
            self.assertEqual(response.outcome, ingest_service_pb2.CREATED, name)
            self.assertEqual(response.version, 1, name)
            self.assertTrue(response.cable.canonical_id, name)
        again = self.ingest.IngestCable(
            ingest_service_pb2.IngestCableRequest(
                content=self.files[0].read_bytes(), source=self.files[0].name),
            timeout=TIMEOUT)
        self.assertEqual(again.outcome, ingest_service_pb2.UNCHANGED)

    def test_get_by_lower_case_name(self):
        cable = self.metadata.GetCable(
            metadata_service_pb2.GetCableRequest(name="cables/08damascus427"),
            timeout=TIMEOUT)
        self.assertEqual(cable.canonical_id, "08DAMASCUS427")
        self.assertEqual(cable.name, "cables/08DAMASCUS427")
        self.assertIn("DAMASCUS", cable.subject.upper())

    def test_get_by_station_alias(self):
        cable = self.metadata.GetCable(
            metadata_service_pb2.GetCableRequest(name="cables/08RIO171"),
            timeout=TIMEOUT)
        self.assertEqual(cable.canonical_id, "08RIODEJANEIRO171")

    def test_search_by_words(self):
        response = self.search.SearchCables(
            search_service_pb2.SearchCablesRequest(query="damascus visit", page_size=5),
            timeout=TIMEOUT)
        ids = [r.canonical_id for r in response.results]
        self.assertIn("08DAMASCUS427", ids)
        self.assertGreaterEqual(response.total_size, 1)

    def test_search_by_id(self):
        response = self.search.SearchCables(
            search_service_pb2.SearchCablesRequest(query="08 RIO DE JANEIRO 171"),
            timeout=TIMEOUT)
        self.assertEqual([r.canonical_id for r in response.results][:1], ["08RIODEJANEIRO171"])

    def test_search_pages_list_every_match_once(self):
        request = search_service_pb2.SearchCablesRequest(query="embassy", page_size=2)
        ids = []
        total = None
        for _ in range(100):
            response = self.search.SearchCables(request, timeout=TIMEOUT)
            total = response.total_size
            ids += [r.canonical_id for r in response.results]
            if not response.next_page_token:
                break
            request.page_token = response.next_page_token
        self.assertGreater(len(ids), 2)
        self.assertEqual(len(ids), len(set(ids)))
        self.assertEqual(len(ids), total)

    def test_search_syntax_error_names_the_position(self):
        with self.assertRaises(grpc.RpcError) as caught:
            self.search.SearchCables(
                search_service_pb2.SearchCablesRequest(query="nuclear (iran OR"),
                timeout=TIMEOUT)
        error = caught.exception
        self.assertEqual(error.code(), grpc.StatusCode.INVALID_ARGUMENT)
        self.assertIn("position", error.details())
        status = _details(error)
        self.assertIsNotNone(status, "no grpc-status-details-bin")
        bad = [d for d in status.details if d.type_url.endswith("/google.rpc.BadRequest")]
        self.assertTrue(bad, [d.type_url for d in status.details])
        violations = error_details_pb2.BadRequest.FromString(bad[0].value).field_violations
        self.assertEqual(violations[0].field, "query")
        self.assertIn("position", violations[0].description)

    def test_suggest_ids_and_subjects(self):
        response = self.search.SuggestCables(
            search_service_pb2.SuggestCablesRequest(prefix="08DAM", limit=5),
            timeout=TIMEOUT)
        by_id = [(s.canonical_id, s.kind) for s in response.suggestions]
        self.assertIn(("08DAMASCUS427", "id"), by_id)
        subject = self.metadata.GetCable(
            metadata_service_pb2.GetCableRequest(name="cables/08DAMASCUS427"),
            timeout=TIMEOUT).subject
        words = [w for w in subject.lower().replace(":", " ").split() if w.isalpha()]
        self.assertGreaterEqual(len(words), 2, subject)
        prefix = " ".join(words[:2])[:-1]  # the last word cut short
        response = self.search.SuggestCables(
            search_service_pb2.SuggestCablesRequest(prefix=prefix, limit=10),
            timeout=TIMEOUT)
        self.assertIn(("08DAMASCUS427", "subject"),
                      [(s.canonical_id, s.kind) for s in response.suggestions], prefix)

    def test_similar_cables(self):
        response = self.search.SimilarCables(
            search_service_pb2.SimilarCablesRequest(name="cables/08DAMASCUS427", limit=5),
            timeout=TIMEOUT)
        ids = [r.canonical_id for r in response.results]
        self.assertTrue(ids)
        self.assertNotIn("08DAMASCUS427", ids)
        self.assertLessEqual(len(ids), 5)
        with self.assertRaises(grpc.RpcError) as caught:
            self.search.SimilarCables(
                search_service_pb2.SimilarCablesRequest(name="cables/08DAMASCUS9999"),
                timeout=TIMEOUT)
        self.assertEqual(caught.exception.code(), grpc.StatusCode.NOT_FOUND)

    def test_malformed_name_is_invalid_argument_with_details(self):
        with self.assertRaises(grpc.RpcError) as caught:
            self.metadata.GetCable(
                metadata_service_pb2.GetCableRequest(name="cables/not a cable id!"),
                timeout=TIMEOUT)
        error = caught.exception
        self.assertEqual(error.code(), grpc.StatusCode.INVALID_ARGUMENT)
        status = _details(error)
        self.assertIsNotNone(status, "no grpc-status-details-bin")
        self.assertEqual(status.code, grpc.StatusCode.INVALID_ARGUMENT.value[0])
        bad = [d for d in status.details if d.type_url.endswith("/google.rpc.BadRequest")]
        self.assertTrue(bad, [d.type_url for d in status.details])
        violations = error_details_pb2.BadRequest.FromString(bad[0].value).field_violations
        self.assertTrue(violations)
        self.assertEqual(violations[0].field, "name")
        self.assertTrue(violations[0].description)

    def test_missing_cable_is_not_found(self):
        with self.assertRaises(grpc.RpcError) as caught:
            self.metadata.GetCable(
                metadata_service_pb2.GetCableRequest(name="cables/08DAMASCUS9999"),
                timeout=TIMEOUT)
        self.assertEqual(caught.exception.code(), grpc.StatusCode.NOT_FOUND)


if __name__ == "__main__":
    unittest.main(verbosity=2)
