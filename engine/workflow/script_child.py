"""The script worker's entry point (``python -m engine.workflow.script_child FD_IN FD_OUT MEMORY SECONDS``):
started by ``engine.workflow.bounded``; a module of its own so running it does not re-import ``bounded``."""
from __future__ import annotations

import sys
from multiprocessing.connection import Connection

from engine.workflow.bounded import serve

if __name__ == "__main__":
    serve(Connection(int(sys.argv[1]), writable=False), Connection(int(sys.argv[2]), readable=False),
          int(sys.argv[3]), float(sys.argv[4]))
