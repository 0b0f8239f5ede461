"""What the sign-in failure page says for each reason (OidcError codes and the callback's own)."""

from portal.i18n import N_

_UNVERIFIED = N_(
    "The answer of the identity provider could not be verified, so you have not been signed in. Start again."
)
FAILURE_MESSAGES: dict[str, str] = {
    "cancelled": N_("You cancelled the sign-in at the identity provider."),
    "state": N_("This sign-in has expired or has already been used. Start again."),
    "provider_unavailable": N_("The identity provider is not answering. Try again in a few minutes."),
    "iin_missing": N_("The identity provider did not send your IIN, so the portal cannot know who you are."),
    "iin_invalid": N_("The IIN sent by the identity provider is not valid. Contact the provider's support."),
    "birthdate_mismatch": N_(
        "The birth date sent by the identity provider does not match your IIN. "
        "Contact the provider's support."
    ),
}


def failure_message(reason: str) -> str:
    return FAILURE_MESSAGES.get(reason, _UNVERIFIED)
