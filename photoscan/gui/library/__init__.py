"""The photo library on screen: the model of records, its filters, the grid and table, the
filter sidebar, thumbnails (decoded off the GUI thread) and the pixelation of faces."""
