"""What crosses the wire: the shared TrainConfig, errors, encodings, frame contents, options."""
