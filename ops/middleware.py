from .views import healthz, readyz

PROBES = {"/healthz": healthz, "/readyz": readyz}


class HealthCheckMiddleware:
    """Answer /healthz and /readyz before any other middleware.

    Docker and load balancers ask over plain HTTP, by the container's own address, without a
    session: past this point the request would be redirected to HTTPS, refused for its Host
    header, and would open a session. Nothing here reads a school or a user.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info)
        if probe is not None:
            return probe(request)
        return self.get_response(request)
