"""Every mapped class, importable from one place (importing this registers all tables on
``Base.metadata``)."""
from engine.db.models.audit import AccessLogEntry, AuditEntry, log_access, log_shown, record_audit
from engine.db.models.bonus import MentorBonus
from engine.db.models.calendar import AnalyticReport, CalendarReport, MentorPeriodReport, MonitoringSnapshot
from engine.db.models.council import (
    COUNCIL_SESSION_LIFECYCLE,
    SESSION_STATUS_LABELS,
    VOTE_LABELS,
    AgendaItem,
    Agreement,
    Attendance,
    Council,
    CouncilMember,
    CouncilSession,
    SessionStatus,
    Vote,
    VoteChoice,
)
from engine.db.models.designed_forms import DesignedForm, DesignedFormAnswer, DesignedFormPin
from engine.db.models.development_plans import (
    ITEM_OUTCOMES,
    PLAN_STATES,
    DevelopmentPlan,
    DevelopmentPlanItem,
)
from engine.db.models.files import Attachment
from engine.db.models.integrity import CHAIN_NAMES, ChainHead, ChainLink
from engine.db.models.iom import IOM_DONE, IOM_STEP_COUNT, IomProgram, IomReview, IomRoute, IomStep
from engine.db.models.jobs import JOB_LIFECYCLE, JOB_STATUS_LABELS, Job, JobStatus, WorkerHeartbeat
from engine.db.models.lifecycle import Lifecycle, status_validator
from engine.db.models.mentorship import (
    APPOINTMENT_LIFECYCLE,
    GROUP_LIFECYCLE,
    MENTEE_LIFECYCLE,
    AppointmentStatus,
    Consent,
    ConsentKind,
    GroupMember,
    GroupStatus,
    Mentee,
    MenteeStatus,
    MentorAppointment,
    MentoringGroup,
    appointed_on_stmt,
    currently_appointed,
    is_appointed,
)
from engine.db.models.network import (
    DIAGNOSIS_KIND_LABELS,
    CompetenceDiagnosis,
    DiagnosisKind,
    NetworkGroup,
    NetworkMember,
    NetworkWorkRecord,
)
from engine.db.models.notifications import (
    EMAIL_CHOICE_LABELS,
    OUTGOING_EMAIL_LIFECYCLE,
    CalendarFeed,
    EmailChoice,
    EmailState,
    Notification,
    NotificationPreference,
    OutgoingEmail,
    OutgoingEmailStatus,
)
from engine.db.models.orders import ORDER_LIFECYCLE, Order, OrderStatus
from engine.db.models.org import (
    DERIVED_FACT_FIELDS,
    RULE_FACT_FIELDS,
    Organization,
    OrganizationKind,
    Person,
    Role,
    RoleAssignment,
)
from engine.db.models.packs import PACK_VERSION_STATUS_LABELS, PackVersionStatus, RegulationPackVersion
from engine.db.models.plan import CORRECTION_LIFECYCLE, CorrectionStatus, PlanCorrection
from engine.db.models.program import (
    EVENT_LIFECYCLE,
    FINISHED_PROGRAM_STATUSES,
    PROGRAM_LIFECYCLE,
    REPORT_LIFECYCLE,
    Decision,
    EventStatus,
    Program,
    ProgramStatus,
    ReportStatus,
    RoadmapEventComment,
    RoadmapEventRecord,
    StageReport,
)
from engine.db.models.recognition import (
    CONTEST_LIFECYCLE,
    PRACTICE_LIFECYCLE,
    ContestJuror,
    ContestNomination,
    ContestStatus,
    ContestVote,
    Incentive,
    MentorContest,
    Practice,
    PracticeFile,
    PracticeKind,
    PracticeStatus,
)
from engine.db.models.roadmap_year import (
    ROADMAP_ITEM_LIFECYCLE,
    ROADMAP_YEAR_LIFECYCLE,
    RoadmapItemKind,
    RoadmapItemStatus,
    RoadmapYear,
    RoadmapYearItem,
    RoadmapYearStatus,
)
from engine.db.models.rulefiles import RuleFileVersion, VersionStatus
from engine.db.models.tokens import AccountLink, AccountLinkPurpose, ApiToken
from engine.db.models.workflow import (
    InstanceStatus,
    OpenTask,
    ProcessDefinition,
    ScriptIncident,
    WorkflowInstance,
    WorkflowKind,
    WorkflowTimer,
    due_timers,
    latest_definition,
    visible_to,
)
from engine.domain_time import add_months
from engine.vocabulary import (
    MENTORSHIP_FORM_LABELS,
    READINESS_LABELS,
    CompletionGround,
    MentorshipForm,
    OrderType,
    Readiness,
)

# every declared lifecycle (engine.db.models.lifecycle), one per model with a ``status``
LIFECYCLES: tuple[Lifecycle, ...] = (
    ORDER_LIFECYCLE, PROGRAM_LIFECYCLE, REPORT_LIFECYCLE, EVENT_LIFECYCLE, APPOINTMENT_LIFECYCLE,
    GROUP_LIFECYCLE, MENTEE_LIFECYCLE, ROADMAP_YEAR_LIFECYCLE, ROADMAP_ITEM_LIFECYCLE, JOB_LIFECYCLE,
    OUTGOING_EMAIL_LIFECYCLE, CORRECTION_LIFECYCLE, COUNCIL_SESSION_LIFECYCLE, CONTEST_LIFECYCLE, PRACTICE_LIFECYCLE,
)


# isort: split
# after every model: the triggers need the tables on Base.metadata
from engine.db import ddl as _ddl  # noqa: E402, F401  (database triggers for create_all)

__all__ = [
    "DesignedForm", "DesignedFormAnswer", "DesignedFormPin",
    "IOM_DONE", "IOM_STEP_COUNT", "IomProgram", "IomReview", "IomRoute", "IomStep",
    "ITEM_OUTCOMES", "PLAN_STATES", "DevelopmentPlan", "DevelopmentPlanItem",
    "LIFECYCLES", "Lifecycle", "status_validator", "APPOINTMENT_LIFECYCLE", "EVENT_LIFECYCLE", "GROUP_LIFECYCLE",
    "MENTEE_LIFECYCLE", "ORDER_LIFECYCLE", "PROGRAM_LIFECYCLE", "REPORT_LIFECYCLE",
    "AccessLogEntry", "AuditEntry", "log_access", "log_shown", "record_audit", "CalendarReport", "MentorPeriodReport", "MonitoringSnapshot",
    "AnalyticReport",
    "AppointmentStatus", "Consent", "ConsentKind", "GroupMember", "GroupStatus", "Mentee",
    "MenteeStatus", "MentorAppointment", "MentoringGroup", "MentorshipForm", "MENTORSHIP_FORM_LABELS",
    "add_months", "appointed_on_stmt", "currently_appointed", "is_appointed",
    "Order", "OrderStatus", "OrderType",
    "DERIVED_FACT_FIELDS", "RULE_FACT_FIELDS", "Organization", "OrganizationKind", "Person", "Role", "RoleAssignment",
    "CompletionGround", "Decision", "EventStatus", "FINISHED_PROGRAM_STATUSES", "Program", "ProgramStatus",
    "ReportStatus", "RoadmapEventComment", "RoadmapEventRecord", "StageReport", "MentorBonus",
    "InstanceStatus", "OpenTask", "ProcessDefinition", "WorkflowInstance", "WorkflowKind", "WorkflowTimer",
    "due_timers", "latest_definition", "visible_to", "ScriptIncident",
    "CHAIN_NAMES", "ChainHead", "ChainLink",
    "Attachment", "AccountLink", "AccountLinkPurpose", "ApiToken", "RuleFileVersion", "VersionStatus",
    "PACK_VERSION_STATUS_LABELS", "PackVersionStatus", "RegulationPackVersion",
    "ROADMAP_ITEM_LIFECYCLE", "ROADMAP_YEAR_LIFECYCLE", "RoadmapItemKind", "RoadmapItemStatus", "RoadmapYear",
    "RoadmapYearItem", "RoadmapYearStatus",
    "CompetenceDiagnosis", "DIAGNOSIS_KIND_LABELS", "DiagnosisKind", "NetworkGroup", "NetworkMember",
    "NetworkWorkRecord", "READINESS_LABELS", "Readiness",
    "JOB_LIFECYCLE", "OUTGOING_EMAIL_LIFECYCLE", "JOB_STATUS_LABELS", "Job", "JobStatus", "WorkerHeartbeat",
    "EMAIL_CHOICE_LABELS", "CalendarFeed", "EmailChoice", "EmailState", "Notification", "NotificationPreference",
    "OutgoingEmail", "OutgoingEmailStatus",
    "CORRECTION_LIFECYCLE", "CorrectionStatus", "PlanCorrection",
    "COUNCIL_SESSION_LIFECYCLE", "SESSION_STATUS_LABELS", "VOTE_LABELS", "AgendaItem", "Agreement", "Attendance", "Council", "CouncilMember",
    "CouncilSession", "SessionStatus", "Vote", "VoteChoice",
    "CONTEST_LIFECYCLE", "PRACTICE_LIFECYCLE", "ContestJuror", "ContestNomination", "ContestStatus", "ContestVote",
    "Incentive", "MentorContest", "Practice", "PracticeFile", "PracticeKind", "PracticeStatus",
]
