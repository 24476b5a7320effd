#!/usr/bin/env python3
"""Serves a folder as plain static files on 127.0.0.1, the way any static host would.

Used by `make serve` and by the end-to-end tests. Sets the wasm MIME type explicitly
(some Python builds lack it) and binds to loopback only.
"""
import argparse
import functools
import http.server
import mimetypes

mimetypes.add_type("application/wasm", ".wasm")
mimetypes.add_type("text/javascript", ".js")


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".js": "text/javascript"}

    def log_message(self, fmt, *args):  # keep test output quiet
        pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default="dist")
    ap.add_argument("--port", type=int, default=8080)
    args = ap.parse_args()
    handler = functools.partial(Handler, directory=args.dir)
    with http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler) as httpd:
        httpd.serve_forever()


if __name__ == "__main__":
    main()
