"""``nastavnik serve [--host H] [--port P]``: run the web UI on a production WSGI server.

The implementation lives in ``web/cli.py``; it is loaded by name with importlib so that engine/ never
imports the web layer (tests/test_architecture.py): the CLI is the one place the two layers meet.
"""
from __future__ import annotations

import argparse
import importlib


def register(groups) -> None:  # noqa: ANN001 - argparse's private subparsers type
    serve = groups.add_parser("serve", help="запустить веб-интерфейс (waitress)")
    serve.add_argument("--host", default="127.0.0.1", help="адрес (по умолчанию 127.0.0.1)")
    serve.add_argument("--port", type=int, default=5000, help="порт (по умолчанию 5000)")
    serve.add_argument("--threads", type=int, default=8, help="потоков обработки запросов (по умолчанию 8)")
    serve.set_defaults(handler=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    web_cli = importlib.import_module("web.cli")
    return web_cli.serve(host=args.host, port=args.port, threads=args.threads)
