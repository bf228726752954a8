app_name = "deputies-api"

urlpatterns: list = []
