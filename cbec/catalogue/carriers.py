"""Rule codes of carrier tracking files (:mod:`cbec.connectors.carriers`,
:mod:`cbec.services.carrier_import`)."""

MESSAGES = {
    "carrier_format_unknown": (
        "is not a carrier tracking file cbec reads ({wanted}); known: {formats}"
    ),
    "carrier_json_invalid": "is not JSON: {detail}",
    "carrier_payload_event": "is not a tracking update of this format: {value}",
    "carrier_column_absent": "the file has no such column (required: a header row naming it)",
    "carrier_status_unknown": "is not a status cbec maps to a milestone: {value}",
    "carrier_time_invalid": "is not an ISO 8601 date and time: {value}",
    "carrier_time_zone_needed": "{value} has no UTC offset: name the file's time zone",
    "carrier_offset_invalid": "is not a UTC offset such as +08:00: {value}",
    "carrier_no_events": "the file holds no tracking event",
    "carrier_too_many_events": "the file holds more than {max} events: send it in parts",
}
