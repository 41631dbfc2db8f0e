"""gunicorn's own logs (errors and the access log) as the same JSON lines as the app's."""

import logging

from gunicorn.glogging import Logger

from config.logs import JsonFormatter


class JsonLogger(Logger):
    def setup(self, cfg):
        super().setup(cfg)
        formatter = JsonFormatter()
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(formatter)

    def access(self, resp, req, environ, request_time):
        """One line per request as gunicorn saw it, with what the app log line does not have:
        the peer address, bytes sent, and requests Django never handled (timeouts, bad HTTP)."""
        if not self.cfg.accesslog or not self.access_log.isEnabledFor(logging.INFO):
            return
        headers = dict((name.lower(), value) for name, value in resp.headers)
        self.access_log.info(
            "access",
            extra={
                "remote_addr": environ.get("REMOTE_ADDR"),
                "method": environ.get("REQUEST_METHOD"),
                "path": environ.get("PATH_INFO"),
                "status": resp.status_code,
                "bytes": getattr(resp, "sent", None),
                "duration_ms": round(request_time.total_seconds() * 1000, 2),
                "request_id": headers.get("x-request-id"),
                "user_agent": environ.get("HTTP_USER_AGENT"),
            },
        )
