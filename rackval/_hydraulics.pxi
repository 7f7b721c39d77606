# Hydraulics section of rackval._thermal (included by _thermal.pyx).
