"""`chalice local` as the CLI runs it, with a listen backlog that absorbs bursts of requests.

Chalice's dev server keeps socketserver's default backlog of 5 pending connections; a browser page or a
test firing ten requests at once then sees some connections reset. Usage: python chalice_local.py local ...
"""
import sys

from chalice import local
from chalice.cli import main

local.ThreadedHTTPServer.request_queue_size = 128

if __name__ == "__main__":
    sys.argv[0] = "chalice"
    sys.exit(main())
