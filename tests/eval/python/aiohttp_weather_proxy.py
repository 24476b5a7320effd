import aiohttp
from aiohttp import web

routes = web.RouteTableDef()
API = "https://api.weather.example/v3"


@routes.get("/weather/{city}")
async def weather(request: web.Request) -> web.Response:
    city = request.match_info["city"]
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{API}/current", params={"q": city},
                               timeout=aiohttp.ClientTimeout(total=5)) as resp:
            data = await resp.json()
    return web.json_response({"city": city, "temp_c": data["temp"]["c"]})


@routes.get("/forecast/{city}")
async def forecast(request: web.Request) -> web.Response:
    session: aiohttp.ClientSession = request.app["http"]
    async with session.get(f"{API}/forecast", params={"q": request.match_info["city"]}) as resp:
        data = await resp.json()
    return web.json_response(data["days"][:7])


async def on_startup(app: web.Application) -> None:
    app["http"] = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=8))


async def on_cleanup(app: web.Application) -> None:
    await app["http"].close()


def make_app() -> web.Application:
    app = web.Application()
    app.add_routes(routes)
    app.on_startup.append(on_startup)
    app.on_cleanup.append(on_cleanup)
    return app
