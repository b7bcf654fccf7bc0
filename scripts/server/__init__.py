"""How the built site is served: one source of headers, caching and types (headers.yaml), the nginx
and static-host configurations written from it (server_config.py), and a local nginx run from the
project's build/ folder for `make preview`, the tests and the benchmark (local_nginx.py)."""
