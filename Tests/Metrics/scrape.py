"""Scrapes a shidod's /metrics over its Unix socket and parses it with Prometheus' own
text parser (prometheus_client); prints every sample as one JSON object:
{"name{label=value,...}": value}. Usage: scrape.py SOCKET"""
import http.client
import json
import socket
import sys

from prometheus_client.parser import text_string_to_metric_families


class UnixConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost")
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.path)


connection = UnixConnection(sys.argv[1])
connection.request("GET", "/metrics")
response = connection.getresponse()
body = response.read().decode("utf-8")
if response.status != 200:
    sys.exit(f"GET /metrics answered {response.status}: {body}")
if not response.getheader("Content-Type", "").startswith("text/plain"):
    sys.exit(f"GET /metrics answered Content-Type {response.getheader('Content-Type')}")
samples = {}
for family in text_string_to_metric_families(body):
    for sample in family.samples:
        labels = ",".join(f"{key}={value}" for key, value in sorted(sample.labels.items()))
        samples[f"{sample.name}{{{labels}}}"] = sample.value
print(json.dumps(samples, sort_keys=True))
