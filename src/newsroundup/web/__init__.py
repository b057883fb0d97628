"""The HTTP app: reader pages (built in render/pages.py), the JSON API and the Atom feed over a store."""
