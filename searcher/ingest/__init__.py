"""Raw file -> clean :class:`Release`: readers, cleaning, metadata, people, corpus steps."""
