"""The offline map of where photos were taken: world outline, clusters, painting, view."""
