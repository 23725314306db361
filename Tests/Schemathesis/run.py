"""Runs schemathesis against a shidod serving on a Unix socket.

Usage: python3 run.py SOCKET [EXTRA SCHEMATHESIS OPTIONS]

schemathesis speaks TCP only, so a bridge on an ephemeral loopback port forwards each
connection to the socket. The run covers the examples, coverage and fuzzing phases with
every check except negative-data rejection (the daemon may accept more than the document
promises), plus hooks.py's `schema_valid_not_malformed`. Exit status: schemathesis's.
"""
import os
import socket
import subprocess
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
DOCUMENT = os.path.join(HERE, "..", "..", "docs", "openapi.json")


def pump(source, target):
    try:
        while data := source.recv(65536):
            target.sendall(data)
    except OSError:
        pass
    finally:
        for end in (source, target):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def bridge(path):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)

    def accept():
        while True:
            client, _ = listener.accept()
            upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                upstream.connect(path)
            except OSError:
                client.close()
                continue
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=pump, args=(a, b), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    return listener.getsockname()[1]


def main():
    port = bridge(sys.argv[1])
    env = dict(os.environ, SCHEMATHESIS_HOOKS="hooks", PYTHONPATH=HERE + os.pathsep + os.environ.get("PYTHONPATH", ""))
    command = [
        sys.executable, "-c", "from schemathesis.cli import schemathesis; schemathesis()",
        "--config-file", os.path.join(HERE, "schemathesis.toml"),
        "run", DOCUMENT, "--url", f"http://127.0.0.1:{port}",
        "--phases", "examples,coverage,fuzzing", "--checks", "all", "--exclude-checks", "negative_data_rejection",
        "--workers", "1", "--no-color",
    ] + sys.argv[2:]
    sys.exit(subprocess.run(command, env=env, cwd=os.environ.get("TMPDIR", "/tmp")).returncode)


if __name__ == "__main__":
    main()
