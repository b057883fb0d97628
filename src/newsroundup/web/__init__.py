"""The HTTP app: reader pages, the JSON API and the Atom feed over a store, and the same pages as a static site."""
