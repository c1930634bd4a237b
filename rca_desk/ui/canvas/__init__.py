"""The diagram canvas: the fishbone or five-whys drawing, its items and its keyboard and mouse."""
