"""Named errors of the job system."""

from __future__ import annotations

from generx.pipelines.errors import GenerxError


class ConfigurationError(GenerxError, ValueError):
    """A setting is missing, malformed, or does not fit with another."""


class InvalidSubmission(GenerxError, ValueError):
    """A job submission that cannot be accepted (no statements, unreadable input, too large)."""


class SubmissionTooLarge(InvalidSubmission):
    """A submission over a size limit: body bytes, inflated bytes, or statements per job."""


class JobNotFound(GenerxError, LookupError):
    """No job has the given id."""


class BrokerUnavailable(GenerxError, ConnectionError):
    """The job was stored but its chunks could not be queued on the broker."""


class DatabaseUnavailable(GenerxError, ConnectionError):
    """The database cannot be reached, or cannot be written."""
