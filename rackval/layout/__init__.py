"""Hall layout: rack footprints, clearances and aisles as shapely geometry."""
