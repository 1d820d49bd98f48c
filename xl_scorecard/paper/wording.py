"""Every sentence of the committee paper, in one place, in British English.

An analyst may change any template here. Fields in braces are filled from the month's
results, always with the figures exactly as the scorecard displays them; a template may
drop a field but must not add one that is not listed beside it.
"""

from __future__ import annotations

# --- naming an indicator inside a sentence ------------------------------------------------
# A name starting with one of these words reads as "The percentage of ..." in a sentence;
# any other name (e.g. "LAC Dental Checks held ...") is used as printed.
ARTICLE_WORDS = ("Percentage", "Number", "Average", "Proportion", "Rate", "Participation")

# --- when a figure is for: {month} is e.g. "May 2012" -------------------------------------
PERIOD_WHEN = {
    "SS": "at the end of {month}",
    "YTD": "in the year to {month}",
    "R12M": "in the 12 months to {month}",
    "Q": "in the quarter to {month}",
    "annual": "in the year to {month}",
}
AS_AT_WHEN = "for {as_at}"          # a figure with its own period label (quarterly, annual)

# --- the result and its movement: {subject} {latest} {when} {previous} {previous_when} {change}
RESULT_ROSE = "{subject} is {latest} {when}, up {change} from {previous} {previous_when}."
RESULT_FELL = "{subject} is {latest} {when}, down {change} from {previous} {previous_when}."
RESULT_SAME = "{subject} is {latest} {when}, the same as {previous_when}."
RESULT_ONLY = "{subject} is {latest} {when}."
RESULT_BLANK = "{subject} has no result {when} (no figures, or a zero denominator)."

# --- the relation to target: {gap} (e.g. "1.6 percentage points ", empty when the gap rounds
# to nothing at the displayed decimals) {target} {floor} {low} {high} {amber_low} {amber_high} --
ABOVE_TARGET = "This is {gap}above the target of {target}"
EQUALS_TARGET = "This meets the target of {target}"
BELOW_TARGET = "This is {gap}below the target of {target}"
WITHIN_RANGE = "This is within the target range of {low} to {high}"
ABOVE_RANGE = "This is {gap}above the target range of {low} to {high}"
BELOW_RANGE = "This is {gap}below the target range of {low} to {high}"
# what the rating adds to the relation (Amber and Red only), then a full stop
AMBER_FLOOR = ", but within the floor standard of {floor}"
RED_FLOOR = ", and beyond the floor standard of {floor}"
AMBER_BAND = ", but within the tolerance of {amber_low} to {amber_high}"
RED_BAND = ", and outside the tolerance of {amber_low} to {amber_high}"
RED_NO_AMBER = "; there is no Amber rating for this indicator, so anything short of target is Red"
# where the result was judged unrounded and prints like its target or floor: {value}
BEFORE_ROUNDING = " (the result is {value} before rounding)"
NO_TARGET = "There is no target for this indicator, so it is not rated."
NOT_RATED = "This is an activity indicator and is not rated."
TARGET_NOT_RATED = "The target of {target} is shown for information; the indicator is not rated."

# --- direction of travel (the table's arrow): {previous_label} ----------------------------
DIRECTION = {
    "↑": "Compared with {previous_label}, performance has improved.",
    "↓": "Compared with {previous_label}, performance has worsened.",
    "→": "Compared with {previous_label}, performance is unchanged.",
}
# the figures shown are equal but the unrounded values moved (the arrow is not →)
DIRECTION_HIDDEN = {
    "↑": "Compared with {previous_label}, performance has improved very slightly (by less than "
         "the figures shown).",
    "↓": "Compared with {previous_label}, performance has worsened very slightly (by less than "
         "the figures shown).",
}
# the figures shown differ but the change is within the materiality threshold
DIRECTION_IMMATERIAL = ("Compared with {previous_label}, performance is unchanged (the change "
                        "is within the materiality threshold).")

# the rating moved since the previous result (the table's rag_previous): {before} {after}
RATING_CHANGE = "The rating has moved from {before} to {after} since {previous_label}."

# --- lead indicators against their expected range: {low} {high} --------------------------
RANGE = {
    "Within": "This is within the expected range of {low} to {high}.",
    "Above": "This is above the upper threshold of {high}.",
    "Below": "This is below the lower threshold of {low}.",
}
RANGE_WITHIN_UPPER_ONLY = "This is within the expected range (at or below the upper threshold of {high})."
RANGE_WITHIN_LOWER_ONLY = "This is within the expected range (at or above the lower threshold of {low})."

# --- comparators: {items} e.g. "England 18.1% and statistical neighbours 20.9%" ------------
COMPARATORS_ONE_PERIOD = "This compares with {items} ({both}{period})."
COMPARATORS_MANY_PERIODS = "This compares with {items}."
COMPARATOR_ITEM = "{name} {value}"
COMPARATOR_ITEM_WITH_PERIOD = "{name} {value} ({period})"
BOTH, ALL = "both ", "all "

# --- data-quality flags ------------------------------------------------------------------
FLAGS = {
    "provisional": "The figure is provisional.",
    "unavailable": "The figure is not yet available.",
}

# --- units --------------------------------------------------------------------------------
PERCENTAGE_POINT, PERCENTAGE_POINTS = "percentage point", "percentage points"
RATE_UNIT = "per {per}"             # {per} e.g. "10,000"

# --- the paper's structure ----------------------------------------------------------------
HEADINGS = {
    "introduction": "Introduction",
    "context": "Context",
    "performance": "Current performance",
    "recommendations": "Recommendations",
    "background": "Background documents",
    "contacts": "Contact details",
    "appendix": "Appendix: {title}, {month}",
}
GROUP_HEADINGS = {
    "Green": "Green indicators: target achieved",
    "Amber": "Amber indicators: below target but within the floor standard",
    "Red": "Red indicators: beyond the floor standard",
    "lead": "Lead indicators against their expected range",
    "unrated": "Indicators without a rating",
}
COUNTS = ("Of the {rated} indicators with a RAG rating, {green} {green_verb} rated Green (target "
          "achieved), {amber} Amber (below target but within the floor standard) and {red} Red "
          "(beyond the floor standard).")
COUNTS_NONE = "No indicator has a RAG rating for {month}."
DIRECTION_COUNTS = ("Compared with the previous result, {improved} {improved_verb} improved, "
                    "{unchanged} {unchanged_verb} unchanged and {worsened} {worsened_verb} worsened.")
LEAD_COUNTS = "Of the {leads} lead {indicators}, {within} {within_verb} within {their} expected range, {above} above it and {below} below it."
EXCEPTIONS_NOTE = "A trend chart follows each Red indicator and each lead indicator."

HEADER_LABELS = ("From", "To", "Date", "Subject", "Classification", "Summary", "Recommendation")
PLACEHOLDERS = {
    "from": "[Cabinet Member and Corporate Director]",
    "to": "[Cabinet Committee]",
    "meeting_date": "[date of meeting]",
    "classification": "[Unrestricted]",
    "contacts": "[Name, job title, telephone, email]",
}
SUBJECT = "{title}: performance for {month}"
SUMMARY = ("This report sets out the performance of {service} in {month} against the "
           "indicators of the {title}. {counts}")
RECOMMENDATION = ("The {committee} is asked to NOTE and COMMENT on the performance set out in "
                  "this report.")
COMMITTEE_DEFAULT = "Committee"
INTRODUCTION = ("This paper presents the {title} for {month}. Each indicator's latest result is "
                "compared with its target and floor standard for {year} and with the previous "
                "result; the full scorecard is attached as the appendix.")
CONTEXT = ("The scorecard holds {count} indicators under {sections} headings. An indicator is "
           "rated Green when its target is achieved, Amber when it is below target but within "
           "the floor standard (the minimum standard), and Red when it is beyond the floor "
           "standard. Ratings are judged on the figures as displayed; direction of travel "
           "compares each result with the previous one.")
NO_BACKGROUND = "None."
COMMENTARY_LABEL = "Officer's commentary: "
COMMENTARY_PLACEHOLDER = "[Officer: what is being done to improve performance.]"
CHART_CAPTION = "Figure {number}: {name} (ref. {ref}), {first} to {last}"
CHART_CAPTION_NO_REF = "Figure {number}: {name}, {first} to {last}"
APPENDIX_COLUMNS = ("Ref", "Indicator", "Period", "Result", "RAG", "Target", "Previous",
                    "DoT", "Outturn", "DoT")
CHART_Y_LABELS = {
    "percent": "Per cent (%)",
    "rate": "Rate per {per}",
    "average": "Average",
    "count": "Number",
}
CHART_ALT_TEXT = ("Line chart of {name} ({unit}), {first} to {last}: the monthly result{series}.")
CHART_ALT_SERIES = {"": " against its target", "band": " against its target and target range",
                    "expected": " against its expected range"}
CHART_SERIES = {"result": "Result", "target": "Target", "band": "Target range",
                "expected": "Expected range"}
