"""What WeChat itself calls on this domain: the files that prove we own it, and the message
push (signed, optionally encrypted) that brings media check verdicts."""

import contextlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from config.cache import add_unless_held
from config.problems import problem_json_response
from wechat import push as push_crypto
from wechat import signals

logger = logging.getLogger(__name__)


@csrf_exempt  # read-only pages: any other method is a 405, not a CSRF page
@require_GET
def verify_file(request, name: str):
    """A WECHAT_VERIFY_FILES entry at the domain's root, as text/plain; anything else 404."""
    content = settings.WECHAT_VERIFY_FILES.get(name)
    if content is None:
        raise Http404("No such file.")
    return HttpResponse(content, content_type="text/plain; charset=utf-8")


@csrf_exempt  # WeChat's servers post here; the signature is the credential
def push(request):
    """WeChat's message push (JSON format): GET is the URL check, POST a message, plain or
    safe mode. Anything not genuine and fresh is refused and changes nothing; a genuine push
    is acknowledged with `success` whether or not anything here knew its event."""
    token = settings.WECHAT_PUSH_TOKEN
    if not token:
        raise Http404("The message push is not configured.")
    query = request.GET
    try:
        if request.method == "GET":
            push_crypto.check_signature(
                query.get("signature"), token, query.get("timestamp", ""), query.get("nonce", "")
            )
            return HttpResponse(query.get("echostr", ""), content_type="text/plain")
        if request.method != "POST":
            return HttpResponseNotAllowed(["GET", "POST"])
        message = _read_message(request, token)
    except push_crypto.PushRefused as refused:
        logger.warning("wechat push refused", extra={"reason": str(refused)})
        status, code = (403, "permission_denied") if refused.forged else (400, "invalid")
        return problem_json_response(status, code, f"Push refused: {refused}.")
    seen = f"wechat:push:{query.get('timestamp', '')}:{query.get('nonce', '')}"
    if not add_unless_held(seen, 2 * push_crypto.MAX_SKEW):
        # This signature was used once already: WeChat's own retry of a push we handled, or
        # someone replaying a signature they saw. Acknowledged, not read again.
        logger.info("wechat push with a timestamp and nonce seen before; ignored")
        return HttpResponse("success", content_type="text/plain")
    try:
        signals.dispatch(message)
    except BaseException:
        with contextlib.suppress(Exception):
            cache.delete(seen)  # not handled: WeChat's retry must be read
        raise
    return HttpResponse("success", content_type="text/plain")


def _read_message(request, token: str) -> dict:
    query = request.GET
    timestamp, nonce = query.get("timestamp", ""), query.get("nonce", "")
    push_crypto.check_fresh(timestamp)
    if query.get("encrypt_type") == "aes":
        # The signature first, over the ciphertext found in the body; the JSON is parsed only
        # once it is known to come from WeChat.
        encrypted = push_crypto.encrypted_field(request.body)
        push_crypto.check_signature(query.get("msg_signature"), token, timestamp, nonce,
                                    encrypted)  # fmt: skip
        key = push_crypto.aes_key(settings.WECHAT_PUSH_AES_KEY)
        plain = push_crypto.decrypt(encrypted, key=key, appid=settings.WECHAT_APP_ID)
        return push_crypto.read_json(plain)
    if settings.WECHAT_PUSH_AES_KEY:
        # With an EncodingAESKey, WeChat sends safe mode only. A plain-mode signature covers
        # no body, so accepting one would let a seen signature carry any message.
        raise push_crypto.PushRefused("plain mode while safe mode is configured", forged=True)
    push_crypto.check_signature(query.get("signature"), token, timestamp, nonce)
    message = push_crypto.read_json(request.body)
    # Safe mode proves the appid inside the ciphertext; plain mode only names it.
    if message.get("appid", settings.WECHAT_APP_ID) != settings.WECHAT_APP_ID:
        raise push_crypto.PushRefused("another mini-program's appid", forged=True)
    return message
