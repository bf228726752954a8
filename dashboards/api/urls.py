app_name = "dashboards-api"

urlpatterns: list = []
