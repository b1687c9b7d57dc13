"""Where frames come from: webcams, video files, network streams, photo files and folders
(sources.py), and photos read from disk (images.py)."""
