"""HTTP views, one module per area; each area module also lists its `urlpatterns`."""
