"""Cost contours of 2-D surfaces and loss landscapes of trained networks."""
