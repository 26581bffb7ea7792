"""Stage 4, the site: page plans, exports, link-preview cards, chart references and the Atom feed, rendered with Jinja into HTML."""
