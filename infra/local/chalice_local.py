"""`chalice local` as the CLI runs it, with a listen backlog that absorbs bursts of requests, and API
Gateway's own errors (no token, a bad token, an unknown path) in the app's error shape, as the deployed
stack's gateway responses give them (gateway.py).

Chalice's dev server keeps socketserver's default backlog of 5 pending connections; a browser page or a
test firing ten requests at once then sees some connections reset. Usage: python chalice_local.py local ...
"""
import logging
import sys

from chalice import local
from chalice.cli import main

from gateway import shape_gateway_errors  # beside this file: the script's folder is first on sys.path

local.ThreadedHTTPServer.request_queue_size = 128
# `chalice local` sets the root logger to INFO, as Lambda's console: the app's own lines belong there, but
# not the libraries' start-up chatter at every start ("Override settings for pynamo ...", "Found
# credentials in environment variables.", "Found endpoint for dynamodb via ..."). Their warnings still show.
for _library in ("pynamodb", "botocore"):
    logging.getLogger(_library).setLevel(logging.WARNING)

if __name__ == "__main__":
    shape_gateway_errors()
    sys.argv[0] = "chalice"
    sys.exit(main())
