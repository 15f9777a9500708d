from ninja import NinjaAPI

api = NinjaAPI(title="Tidings API", version="1")
