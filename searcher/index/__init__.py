"""Release -> Whoosh index on disk: analysis, schema, segment writing, storage, builds."""
