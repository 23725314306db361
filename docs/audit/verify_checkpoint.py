#!/usr/bin/env python3
"""Checks a shido checkpoint with nothing but a dump, the checkpoint and the public key.

    shido dump > log.ndjson
    shido audit checkpoint > checkpoint.txt
    shidod key show > shido.pub              (on the daemon's machine, once)
    python3 verify_checkpoint.py log.ndjson checkpoint.txt shido.pub

It verifies the checkpoint's Ed25519 signature (C2SP signed-note), checks that each event's
prevHash is the hash before it, then recomputes the RFC 9162 Merkle root over the chain
hashes of the first `size` events and compares. (Each chain hash itself is recomputed from
the event's canonical text by the psql recipe in docs/hash-chain.md, or `shido audit
verify`.) Needs Python 3 and the `cryptography` package only."""
import base64
import hashlib
import json
import sys

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def sha(data):
    return hashlib.sha256(data).digest()


def root(leaves):  # RFC 9162 §2.1.1, leaves already hashed with the 0x00 prefix
    if not leaves:
        return sha(b"")
    while len(leaves) > 1:  # pairing bottom-up gives the same tree as splitting at powers of two
        leaves = [sha(b"\x01" + leaves[i] + leaves[i + 1]) if i + 1 < len(leaves) else leaves[i]
                  for i in range(0, len(leaves), 2)]
    return leaves[0]


def verify_note(note, key_line):
    name, key_id, key = key_line.strip().split("+", 2)
    public = base64.b64decode(key)[1:]
    text, signatures = note.rsplit("\n\n", 1)
    text += "\n"
    for line in signatures.splitlines():
        signer, blob = line[2:].split(" ")
        blob = base64.b64decode(blob)
        if signer == name and blob[:4].hex() == key_id:
            Ed25519PublicKey.from_public_bytes(public).verify(blob[4:], text.encode())  # raises if forged
            return text.split("\n")
    sys.exit("no signature by " + name)


dump, checkpoint, key = sys.argv[1:4]
origin, size, root_b64 = verify_note(open(checkpoint).read(), open(key).read())[:3]
size, previous, leaves = int(size), bytes(32), []
for line in open(dump):
    event = json.loads(line)
    if event["position"] > size:
        break
    chain = bytes.fromhex(event["hash"])
    if bytes.fromhex(event["prevHash"]) != previous:
        sys.exit(f"the chain breaks at position {event['position']}")
    previous = chain
    leaves.append(sha(b"\x00" + chain))
if len(leaves) != size:
    sys.exit(f"the dump holds {len(leaves)} events, the checkpoint {size}")
if root(leaves) != base64.b64decode(root_b64):
    sys.exit(f"NOT verified: the dump's first {size} events do not give the root {origin} signed")
print(f"verified: the dump's first {size} events give the root {origin} signed")
