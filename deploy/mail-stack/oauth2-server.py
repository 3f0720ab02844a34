#!/usr/bin/env python3
"""The loopback mail stack's OAuth2 server, standing in for Microsoft's.

Two endpoints on 127.0.0.1 only:

  POST /token       the client-credentials grant (RFC 6749 4.4): a client listed
                    in DIR/oauth2/clients with its secret and the scope
                    https://outlook.office365.com/.default gets a new token for
                    its mailbox, as an app granted one mailbox in Exchange Online.
  POST /introspect  token introspection (RFC 7662), asked by Dovecot's oauth2
                    passdb: {"active": true, "username": MAILBOX} for a known
                    token, {"active": false} for any other.

DIR/oauth2/clients holds "CLIENT_ID SECRET MAILBOX [SECONDS]" lines and
DIR/oauth2/tokens "TOKEN MAILBOX" lines (deploy/mail-stack.sh addclient and
addtoken write them); both are read again on every request, and the tokens
this server issues are added to DIR/oauth2/tokens. DIR/log/oauth2.log records
each request without any secret or token.

  oauth2-server.py DIR PORT
"""

import json
import os
import secrets
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SCOPE = "https://outlook.office365.com/.default"
MAX_BODY = 64 * 1024


def read_lines(path):
    try:
        with open(path, encoding="utf-8") as f:
            return [line.split() for line in f if line.strip() and not line.startswith("#")]
    except FileNotFoundError:
        return []


class Handler(BaseHTTPRequestHandler):
    server_version = "mail-stack-oauth2"
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        self.server.log(self.address_string() + " " + (fmt % args))

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def form(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0 or length > MAX_BODY:
            return None
        fields = urllib.parse.parse_qs(self.rfile.read(length).decode("utf-8", "replace"))
        return {key: values[0] for key, values in fields.items()}

    def do_POST(self):
        path = urllib.parse.urlsplit(self.path).path
        fields = self.form()
        if fields is None:
            self.reply(413, {"error": "invalid_request", "error_description": "request too large"})
        elif path.endswith("/token"):
            self.token(fields)
        elif path.endswith("/introspect"):
            self.introspect(fields)
        else:
            self.reply(404, {"error": "not_found"})

    def token(self, fields):
        if fields.get("grant_type") != "client_credentials":
            self.server.log("token: refused, grant_type %r" % fields.get("grant_type"))
            self.reply(400, {"error": "unsupported_grant_type",
                             "error_description": "AADSTS70003: only client_credentials is supported here."})
            return
        client_id = fields.get("client_id", "")
        client = next((c for c in read_lines(self.server.clients) if len(c) >= 3 and c[0] == client_id), None)
        if client is None or not secrets.compare_digest(client[1], fields.get("client_secret", "")):
            self.server.log("token: refused client %r (unknown, or a wrong secret)" % client_id)
            self.reply(401, {"error": "invalid_client",
                             "error_description": "AADSTS7000215: Invalid client secret provided.\r\n"
                                                  "Trace ID: mail-stack"})
            return
        if fields.get("scope") != SCOPE:
            self.server.log("token: refused client %r, scope %r" % (client_id, fields.get("scope")))
            self.reply(400, {"error": "invalid_scope",
                             "error_description": "AADSTS70011: The provided scope is not valid."})
            return
        seconds = int(client[3]) if len(client) > 3 else 3599
        token = "mail-stack." + secrets.token_urlsafe(32)
        with open(self.server.tokens, "a", encoding="utf-8") as f:
            f.write("%s %s\n" % (token, client[2]))
        self.server.log("token: issued to client %r for %s, %d s" % (client_id, client[2], seconds))
        self.reply(200, {"token_type": "Bearer", "expires_in": seconds, "ext_expires_in": seconds,
                         "access_token": token})

    def introspect(self, fields):
        token = fields.get("token", "")
        mailbox = next((t[1] for t in read_lines(self.server.tokens) if len(t) >= 2 and t[0] == token), None)
        if mailbox is None:
            self.server.log("introspect: unknown token")
            self.reply(200, {"active": False})
            return
        self.server.log("introspect: a token of %s" % mailbox)
        self.reply(200, {"active": True, "username": mailbox, "scope": SCOPE})


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state, port):
        self.clients = os.path.join(state, "oauth2", "clients")
        self.tokens = os.path.join(state, "oauth2", "tokens")
        self.log_file = open(os.path.join(state, "log", "oauth2.log"), "a", encoding="utf-8", buffering=1)
        super().__init__(("127.0.0.1", port), Handler)

    def log(self, text):
        self.log_file.write(time.strftime("%Y-%m-%dT%H:%M:%S ") + text + "\n")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[-1])
    Server(sys.argv[1], int(sys.argv[2])).serve_forever()


if __name__ == "__main__":
    main()
