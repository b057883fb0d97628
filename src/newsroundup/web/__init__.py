"""A store → HTTP: reader pages (built in render/pages.py), the JSON API and the Atom feed."""
