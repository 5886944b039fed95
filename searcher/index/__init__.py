"""Release -> Whoosh index on disk: analysis, schema, segment writing, storage, builds.

The private Whoosh names the package (and the scorer) rely on are listed in
:mod:`.whoosh_private`, the checklist for a new whoosh3 release.
"""
