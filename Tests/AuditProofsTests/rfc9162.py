"""An independent RFC 9162 §2.1 implementation (MTH, PATH, PROOF) and an Ed25519 check
with the `cryptography` package, for the Swift tests to compare against.

Reads one JSON object on stdin:
  {"leaves": [hex data...], "inclusion": [[leaf, size]...], "consistency": [[m, n]...],
   "rootSizes": [n...] (optional: every size from 1 by default),
   "note": {"text": ..., "publicKey": hex, "signature": hex}}
and prints {"roots": {size: hex}, "inclusion": [[hex...]...], "consistency": [[hex...]...],
"noteVerifies": bool}."""
import hashlib
import json
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def sha(data):
    return hashlib.sha256(data).digest()


def mth(d):
    if len(d) == 0:
        return sha(b"")
    if len(d) == 1:
        return sha(b"\x00" + d[0])
    k = 1
    while k * 2 < len(d):
        k *= 2
    return sha(b"\x01" + mth(d[:k]) + mth(d[k:]))


def path(m, d):
    if len(d) <= 1:
        return []
    k = 1
    while k * 2 < len(d):
        k *= 2
    if m < k:
        return path(m, d[:k]) + [mth(d[k:])]
    return path(m - k, d[k:]) + [mth(d[:k])]


def subproof(m, d, b):
    n = len(d)
    if m == n:
        return [] if b else [mth(d)]
    k = 1
    while k * 2 < n:
        k *= 2
    if m <= k:
        return subproof(m, d[:k], b) + [mth(d[k:])]
    return subproof(m - k, d[k:], False) + [mth(d[:k])]


request = json.load(sys.stdin)
leaves = [bytes.fromhex(leaf) for leaf in request["leaves"]]
answer = {
    "roots": {str(n): mth(leaves[:n]).hex() for n in request.get("rootSizes", range(1, len(leaves) + 1))},
    "inclusion": [[h.hex() for h in path(m, leaves[:n])] for m, n in request["inclusion"]],
    "consistency": [[h.hex() for h in subproof(m, leaves[:n], True)] for m, n in request["consistency"]],
}
note = request.get("note")
if note:
    key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(note["publicKey"]))
    try:
        key.verify(bytes.fromhex(note["signature"]), note["text"].encode("utf-8"))
        answer["noteVerifies"] = True
    except InvalidSignature:
        answer["noteVerifies"] = False
print(json.dumps(answer))
