from smartapp import create_app

app = create_app()
