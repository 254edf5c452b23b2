"""12345 hotline models: the category tree, areas, routing and time-limit rules, the knowledge
base (setup.py); tickets with their assignments, steps and attachments (tickets.py); Open311
client apps with their submissions and updates (open311.py)."""

from yiwang.hotline.models.learning import DispatchModelRun
from yiwang.hotline.models.open311 import Open311Client, Open311Submission, Open311Update
from yiwang.hotline.models.setup import (
    Area,
    Category,
    KnowledgeArticle,
    RoutingRule,
    TimeLimitRule,
)
from yiwang.hotline.models.tickets import (
    ContactRelease,
    ExtensionRequest,
    Ticket,
    TicketAssignment,
    TicketAttachment,
    TicketCounter,
    TicketStep,
    UnregisteredContact,
)

__all__ = [
    "Area",
    "Category",
    "ContactRelease",
    "DispatchModelRun",
    "ExtensionRequest",
    "KnowledgeArticle",
    "Open311Client",
    "Open311Submission",
    "Open311Update",
    "RoutingRule",
    "Ticket",
    "TicketAssignment",
    "TicketAttachment",
    "TicketCounter",
    "TicketStep",
    "TimeLimitRule",
    "UnregisteredContact",
]
