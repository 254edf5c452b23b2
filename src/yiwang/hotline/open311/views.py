"""GeoReport v2 endpoints. Every answer, errors included, is in the format the path asks for
(`.xml` or `.json`); no error ever becomes an HTML page. Reads need no key; a POST needs the
client app's `api_key` and is rate-limited per key.

Requests are registered at once (`type` realtime), so a POST answers with the ticket number as
`service_request_id` and never with a `token`. A POST may be form-encoded or, with a photo in
`media`, `multipart/form-data`.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from urllib.parse import urlsplit

from django.core.exceptions import SuspiciousOperation
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from yiwang.hotline.models import Open311Client, Ticket
from yiwang.hotline.open311 import formats, mapping, params
from yiwang.hotline.open311.formats import JSON, XML, Many, Rendered, Value
from yiwang.hotline.open311.keys import client_for_key, posts_per_minute, rate_allows
from yiwang.hotline.open311.params import Open311Error, text
from yiwang.hotline.selectors import (
    category_attributes,
    public_photo,
    public_request,
    public_request_steps,
    public_request_updates,
    public_requests,
    public_service,
    public_services,
)
from yiwang.hotline.services import (
    Open311Sender,
    Open311UpdateIn,
    TicketIntake,
    open311_request_submit,
    open311_update_post,
)
from yiwang.hotline.workflow import Channel, TicketType
from yiwang.platform.errors import DomainError, Forbidden, NotFound, RateLimited

log = logging.getLogger("yiwang.hotline.open311")

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this endpoint's behaviour last changed (discovery `changeset`).
CHANGESET = "2026-11-22T00:00:00+08:00"
CONTACT = "12345 政务服务便民热线服务中心，电话 12345"
KEY_SERVICE = "向 12345 热线服务中心申请开放接口密钥（见本平台 docs/open311.md）"
MEDIA_URL_MAX = 500

View = Callable[..., Rendered]


def _response(rendered: Rendered) -> HttpResponse:
    return HttpResponse(rendered.body, status=rendered.status, content_type=rendered.content_type)


def _domain_error(fmt: str, error: DomainError) -> Rendered:
    if isinstance(error, NotFound):
        return formats.errors(fmt, 404, error.message)
    if isinstance(error, Forbidden):
        return formats.errors(fmt, 403, error.message)
    if isinstance(error, RateLimited):
        return formats.errors(fmt, 429, error.message)
    names = {
        "content": "description",
        "reporter_phone": "phone",
        "reporter_name": "last_name",
        "latitude": "lat",
        "longitude": "long",
        "category_code": "service_code",
        "photo": "media",
    }
    described = [f"{names.get(e.field, e.field)}：{e.message}" for e in error.errors]
    return formats.errors(fmt, 400, *(described or [error.message]))


def open311(*methods: str) -> Callable[[View], Callable[..., HttpResponse]]:
    """Allowed methods, the spec's errors for every failure, and no CSRF (no cookies are used:
    a POST is authenticated by its api_key)."""

    def decorate(view: View) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        @csrf_exempt
        def wrapper(
            request: HttpRequest, *args: object, fmt: str, **kwargs: object
        ) -> HttpResponse:
            allowed = {*methods, "HEAD"} if "GET" in methods else set(methods)
            if request.method not in allowed:
                response = _response(formats.errors(fmt, 405, _("该接口不支持此请求方法")))
                response["Allow"] = ", ".join(sorted(allowed))
                return response
            try:
                rendered = view(request, *args, fmt=fmt, **kwargs)
            except Open311Error as error:
                rendered = formats.errors(fmt, error.status, *error.descriptions)
            except DomainError as error:
                rendered = _domain_error(fmt, error)
            except SuspiciousOperation:  # a body too large, too many fields …
                rendered = formats.errors(fmt, 400, _("请求内容过大或格式有误"))
            except Exception:
                log.exception("open311 error")
                rendered = formats.errors(fmt, 500, _("系统繁忙，请稍后再试"))
            return _response(rendered)

        return wrapper

    return decorate


def _root_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": XML}))[
        : -len("discovery.xml")
    ]


@open311("GET")
def discovery(request: HttpRequest, fmt: str) -> Rendered:
    endpoint: dict[str, Value] = {
        "specification": SPECIFICATION,
        "url": _root_url(request),
        "changeset": CHANGESET,
        "type": "production",
        "formats": Many("format", ["text/xml", "application/json"]),
    }
    body: dict[str, Value] = {
        "changeset": CHANGESET,
        "contact": CONTACT,
        "key_service": KEY_SERVICE,
        "endpoints": Many("endpoint", [endpoint]),
    }
    return formats.document(fmt, "discovery", body)


@open311("GET")
def services(request: HttpRequest, fmt: str) -> Rendered:
    rows: list[Value] = [mapping.service(category) for category in public_services()]
    return formats.document(fmt, "services", Many("service", rows))


@open311("GET")
def service_definition(request: HttpRequest, code: str, fmt: str) -> Rendered:
    category = public_service(code)
    return formats.document(fmt, "service_definition", mapping.service_definition(category))


def _request_rows(request: HttpRequest, tickets: list[Ticket]) -> list[Value]:
    """The requests; with `extensions=true`, each also with its attribute answers and notes
    (one more query for all of them)."""
    steps = public_request_steps(tickets) if params.extensions(request.GET) else None
    absolute = request.build_absolute_uri
    return [
        mapping.service_request(t, absolute, steps[t.pk] if steps is not None else None)
        for t in tickets
    ]


@open311("GET", "POST")
def requests(request: HttpRequest, fmt: str) -> Rendered:
    if request.method == "POST":
        return _create(request, fmt)
    query = params.request_query(request.GET)
    rows = _request_rows(request, public_requests(query))
    return formats.document(fmt, "service_requests", Many("request", rows))


def _media_url(value: str) -> str:
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(value) > MEDIA_URL_MAX:
        raise Open311Error(400, _("media_url 须为 http 或 https 地址，且不超过 500 个字符"))
    return value


def _client(request: HttpRequest) -> Open311Client:
    """The app posting: its key checked, one more POST counted against its limit."""
    client = client_for_key(text(request.POST, "api_key"))
    if client is None:
        raise Open311Error(403, _("api_key 缺失、无效或已吊销"))
    if not rate_allows(client):
        raise Open311Error(
            429,
            _("提交过于频繁：每个 api_key 每分钟最多 %(limit)s 次") % {"limit": posts_per_minute()},
        )
    return client


def _upload(request: HttpRequest) -> UploadedFile | None:
    """The photo of a multipart POST (`media`); sent as text it is a mistake, not a photo."""
    upload = request.FILES.get("media")
    if upload is None and text(request.POST, "media"):
        raise Open311Error(400, _("media 须为以 multipart/form-data 上传的照片文件"))
    return upload


def _create(request: HttpRequest, fmt: str) -> Rendered:
    data = request.POST
    client = _client(request)
    code = text(data, "service_code")
    if not code:
        raise Open311Error(400, _("缺少 service_code"))
    category = public_service(code)
    where = params.location(data)
    description = params.description(data)
    answers = params.answers(data, category_attributes(category))
    media_url = _media_url(text(data, "media_url"))
    upload = _upload(request)
    account_id = text(data, "account_id")[:100]
    content = description or "；".join(answers.summary) or f"{category.name}（通过开放接口反映）"
    ticket = open311_request_submit(
        client=client,
        data=TicketIntake(
            channel=Channel.OPEN311,
            ticket_type=TicketType.HELP,
            category_code=category.code,
            content=content,
            reporter_name=f"{text(data, 'last_name')}{text(data, 'first_name')}"[:100],
            reporter_phone=text(data, "phone"),
            latitude=where.latitude,
            longitude=where.longitude,
            address=where.address,
            answers=answers.values,
        ),
        sender=Open311Sender(
            email=text(data, "email"),
            device_id=text(data, "device_id"),
            account_id=account_id,
            media_url=media_url,
        ),
        upload=upload,
    )
    row: dict[str, Value] = {
        "service_request_id": ticket.number,
        "service_notice": category.service_notice or None,
        "account_id": account_id or None,
    }
    return formats.document(fmt, "service_requests", Many("request", [row]), status=201)


@open311("GET")
def request_detail(request: HttpRequest, number: str, fmt: str) -> Rendered:
    rows = _request_rows(request, [public_request(number)])
    return formats.document(fmt, "service_requests", Many("request", rows))


@open311("GET")
def token(request: HttpRequest, token: str, fmt: str) -> Rendered:
    # Every service is realtime: a POST answers with the service_request_id, never a token.
    raise NotFound(_("没有这个 token：本接口的服务均为实时受理，提交即返回 service_request_id"))


@open311("GET", "POST")
def request_updates(request: HttpRequest, fmt: str) -> Rendered:
    if request.method == "POST":
        return _post_update(request, fmt)
    start, end = params.window(request.GET)
    absolute = request.build_absolute_uri
    rows: list[Value] = [
        mapping.request_update(s, absolute) for s in public_request_updates(start=start, end=end)
    ]
    return formats.document(fmt, "service_request_updates", Many("request_update", rows))


def _post_update(request: HttpRequest, fmt: str) -> Rendered:
    """FixMyStreet's citizen update: a supplement to a request this app submitted. 201 with
    the new `request_update`; a retry of one already recorded: 200 with the first one."""
    data = request.POST
    client = _client(request)
    number = text(data, "service_request_id")
    if not number:
        raise Open311Error(400, _("缺少 service_request_id"))
    update = params.update(data)
    posted = open311_update_post(
        client=client,
        data=Open311UpdateIn(
            number=number,
            status=update.status,
            client_updated_at=update.updated_at,
            description=update.description,
            email=text(data, "email"),
            name=f"{text(data, 'last_name')}{text(data, 'first_name')}"[:100],
            media_url=_media_url(text(data, "media_url")),
            update_id_ext=text(data, "update_id_ext")[:100],
        ),
        upload=_upload(request),
    )
    row = mapping.request_update(posted.step, request.build_absolute_uri)
    return formats.document(
        fmt,
        "service_request_updates",
        Many("request_update", [row]),
        status=201 if posted.created else 200,
    )


def media(request: HttpRequest, attachment_id: int) -> HttpResponseBase:
    """A public request's photo (the public copy), for anyone; 404 in the spec's format once
    the ticket is not public."""
    if request.method not in ("GET", "HEAD"):
        refused = _response(formats.errors(XML, 405, _("该接口不支持此请求方法")))
        refused["Allow"] = "GET, HEAD"
        return refused
    try:
        photo = public_photo(attachment_id)
        file = photo.public_file.open("rb")
    except (NotFound, OSError):
        return _response(formats.errors(XML, 404, _("没有这张照片。")))
    response = FileResponse(file, content_type="image/jpeg")
    # Short: a ticket made confidential later must not stay published in caches for long.
    response["Cache-Control"] = "public, max-age=300"
    return response


@open311("GET", "POST", "PUT", "PATCH", "DELETE")
def unknown(request: HttpRequest, fmt: str, path: str = "") -> Rendered:
    return formats.errors(fmt, 404, _("接口不存在，请检查请求地址（例如 services.xml）"))


def not_found(request: HttpRequest, path: str) -> HttpResponse:
    """Anything else under /open311/v2/: a 404 in JSON when the path ends in .json, else XML."""
    return unknown(request, fmt=JSON if path.endswith(".json") else XML, path=path)
