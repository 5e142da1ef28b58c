"""Qinghe (清河), a test city that is not Chongqing: its own coordinates, district codes, event
types, sensors, units, names in two languages, GeoPackage layers, MBTiles basemap and risk points,
served by a backend of its own (:mod:`tests.testcity.city`)."""
