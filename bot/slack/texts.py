"""Every sentence the Slack bot says of its own, in one place (mrkdwn-safe).

Answers, findings and messages come from the toolkit; these are only the bot's
frame around them, written for a communications person.
"""

from __future__ import annotations

from toolkit import words

USAGE = (
    "*How to use `/mastery`*\n"
    "• `/mastery ask &lt;question&gt;` — a short, sourced answer "
    "(or just `/mastery &lt;question&gt;`)\n"
    "• `/mastery ask for parents: &lt;question&gt;` — the answer written for one audience\n"
    "• `/mastery myth &lt;words&gt;` — the myth and the fact, with the evidence\n"
    "• `/mastery messages &lt;audience&gt;` — key messages and talking points for one audience "
    "(`/mastery messages` lists them)\n"
    "• `/mastery check &lt;text&gt;` — weak phrases, better wording and readability "
    "(`/mastery check for parents: &lt;text&gt;` for one audience)\n"
    "• `/mastery draft &lt;template&gt;` — fill a document in a form; `/mastery draft` lists them\n"
    "• `/mastery help` — this help\n"
    "You can also mention me in a channel or send me a direct message with a question, and use "
    "*Check wording* from any message's ⋯ menu."
)
UNKNOWN_COMMAND = "I don't know the command `{word}`."
EMPTY_ARG = "Please add {what} after `/mastery {name}`."
NO_ANSWER = f"{words.NO_ANSWER} {words.NOTED}"
#: a "which states …?" question the closest entry does not answer (it names no state)
NO_LIST = f"{words.NO_ANSWER} {words.NO_LIST}"
#: a message with no words to go on ("thanks!", "hello", emoji): nothing was logged
NOTHING_TO_ANSWER = (
    "Hi! Ask me a question about mastery-based learning (\"How are students graded?\"), "
    "`check` a draft, or `draft` a document. `help` lists everything."
)
OUTSIDE_TOOLKIT = words.OUT_OF_SCOPE
DID_YOU_MEAN = "*Did you mean:*"
CHOICES = "A few topics are close to your question. *Which one did you mean?*"
ONE_CHOICE = "One topic is close to your question. *Is it what you meant?*"
OTHER_TOPICS = "Not quite it? Related topics:"
SOURCES_LABEL = "Sources:"
LOCAL_ANSWER = "Your district's own answer, from its toolkit copy."
MYTH_LABEL = "Myth:"
FACT_LABEL = "Fact:"
EVIDENCE_LABEL = "Evidence:"
SHOW_FULL = "Show full answer"
SHARE = "Share in channel"
HELPFUL = "👍 Helpful"
NOT_HELPFUL = "👎 Not helpful"
THANKS_HELPFUL = "Thanks — glad it helped."
THANKS_UNHELPFUL = (
    "Thanks for telling me. I've passed the question to the content team so they can improve "
    "the answer."
)
SHARE_FAILED = (
    "I couldn't post in this conversation (am I a member of it?). Invite me with "
    "`/invite @Mastery` or copy the answer instead."
)
NO_MYTH = "I don't know a myth about “{words}”. Try other words, or `/mastery ask` it."
MESSAGES_WHICH = "Which audience? Use `/mastery messages &lt;audience&gt;` with one of these:"
MESSAGES_HEADER = "Key messages for {name}"
KEY_MESSAGES = "Key messages"
TALKING_POINTS = "Talking points"
CUT_TO_FIT = "_…shortened to fit Slack. The web workspace shows everything._"

CHECK_HEADER = "Wording check"
CHECK_FOUND = "I found *{n}* phrase{s} worth another look."
CHECK_CLEAN = "No weak phrases found. :white_check_mark:"
CHECK_QUOTED_APART = (
    "{n} match{s} inside quotations (someone else's words) {verb} listed last, not counted."
)
CHECK_MORE = "…and {n} more. Paste the text into the web workspace to see them all."
CHECK_MORE_IN_FILE = "…and {n} more in the full report."
CHECK_FILE_NOTE = (
    ":page_facing_up: The full report is too long for one Slack message: I've sent it to you "
    "as a file in our direct messages."
)
CHECK_FILE_NAME = "wording-check.txt"
CHECK_FILE_TITLE = "Wording check: full report ({n} phrases)"
CHECK_FILE_COMMENT = "The full wording check report ({n} phrases)."
CHECK_FILE_FINDINGS = "Why these phrases: the message-testing findings behind them"
REPORT_UPLOAD_FAILED = (
    "I couldn't send the full report as a file; paste the text into the web workspace to see "
    "every phrase."
)
CHECK_EMPTY = "Please add the text to check after `/mastery check`."
CHECK_NO_TEXT = "That message has no text I can check."
CHECK_EXPIRED = ("That check has expired (checks are kept for 7 days, for the person who "
                 "ran them). Run *Check wording* on the message again.")
LINE = "line"
TRY = "Try:"
WHY = "Why:"
QUOTED = "This is inside quotation marks, so it may be someone else's words."
READABILITY = "Readability:"
GRADE = "grade level {grade}"
EASE = "reading ease {ease}"
TARGET_MAX = "(aim for {value} or lower)"
TARGET_MIN = "(aim for {value} or higher)"
MEETS = ":white_check_mark: Easy enough to read for {who}:"
MISSES = ":warning: Harder to read than suits {who}:"
GENERAL_AUDIENCE = "a general audience"
UNRELIABLE = "The text is short, so these numbers are only a rough guide."
NOT_ENGLISH = ":grey_question: Readability not scored: this text does not look like English."
OTHER_MYTHS = "Other myths"
PICK_AUDIENCE = "Check for an audience…"

ERROR = (
    "Sorry — something went wrong on my side and I couldn't finish that. Please try again; "
    "if it keeps happening, tell the person who runs this app."
)
TOO_LONG = (
    "That's {n:,} characters; I read up to {limit:,}. Check the first part, or paste the "
    "whole text into the web workspace."
)

# drafting
DRAFT_WHICH = "*Which document?* Use `/mastery draft &lt;template&gt;` with one of these:"
DRAFT_UNKNOWN = "I don't know the template “{name}”."
DRAFT_NOT_YOURS = (
    "I can't open that draft: it doesn't exist or it belongs to someone else. Your own drafts "
    "are on my Home tab."
)
DRAFT_NO_STORE = "Saving drafts isn't set up on this server, so I can't open a form."
DRAFT_SAVED = "{title} is saved as a draft ({percent}% complete)."
DRAFT_FINISH_WEB = "Continue in the web workspace"
DRAFT_LINK = "<{url}|Open it in the web workspace> (the link works for {minutes} minutes)."
DRAFT_FILE_TITLE = "{title} (Word)"
DRAFT_PROBLEMS = "*Still to do before it's final:*"
DRAFT_THIN = "*Sections to say more in* (the state's profile asks for more words):"
DRAFT_THIN_LINE = "• {title}: {words} words of {asked} asked"
DRAFT_WORDING = "*Wording to look at before it goes out* (message testing found it weak):"
DRAFT_WORDING_LINE = "• “{words}” in {field}: {message}"
DRAFT_STALE = (
    "This draft was changed somewhere else while the form was open. Nothing was overwritten; "
    "open it again from my Home tab."
)
DRAFT_TOO_LONG_HINT = (
    "Slack fields hold up to 3,000 characters; write longer text in the web workspace."
)
DRAFT_FIELD_TOO_LONG = (
    "*{label}* is {n:,} characters — longer than a Slack field allows (3,000). It is kept as "
    "it is; edit it in the web workspace."
)
#: a file in a DM that is not a Word document
WORD_FILES_ONLY = (
    "I can check Word files (.docx) only. Save the document as .docx and send it again, or "
    "paste its text into a message."
)
#: a value saved elsewhere (the web page, the API) over the field's own limit: Slack refuses
#: a form whose field starts longer than its limit
DRAFT_FIELD_OVER_LIMIT = (
    "*{label}* is {n:,} characters, over its limit of {limit:,}. It is kept as it is; "
    "shorten it in the web workspace."
)
DRAFT_VALUE_TOO_LONG = (
    "This is longer than Slack allows ({n:,} of 3,000 characters). Shorten it, or finish this "
    "part in the web workspace."
)
ADD_ANOTHER = "Add another"
ITEM = "{label} {n}"
NEXT = "Next"
SAVE = "Save"
CANCEL = "Cancel"
CLOSE = "Close"
CHOOSE = "Choose…"
PROFILE_LABEL = "State profile"
STEP = "Step {n} of {total}: {title}"
DRAFT_DELIVERED = "Here is your document."
UPLOAD_FAILED = "I couldn't attach the Word file here; download it from the web workspace."

# App Home
HOME_TITLE = "Mastery comms"
HOME_INTRO = (
    "Answers, myths vs facts, key messages and wording checks for explaining mastery-based "
    "learning — every answer comes with its sources."
)
HOME_DRAFTS = "*Your drafts*"
HOME_NO_DRAFTS = "_No drafts yet. Start one below._"
HOME_MORE_DRAFTS = "…and {n} more in the web workspace."
HOME_START = "*Start a document*"
HOME_BROWSE = "*Browse*"
HOME_MYTHS = "Myths vs facts"
HOME_MESSAGES = "Key messages by audience"
HOME_CONTINUE = "Continue"
HOME_HOWTO = (
    "*How to use*\n"
    "• Ask: `/mastery ask &lt;question&gt;`, mention me in a channel, or DM me.\n"
    "• Check: choose *Check wording* from a message's ⋯ menu, or `/mastery check &lt;text&gt;`.\n"
    "• Draft: `/mastery draft &lt;template&gt;` or the *Start a draft* shortcut; "
    "finish it on the web."
)
HOME_UPDATED = "Updated {when}"
BROWSE_MYTHS_TITLE = "Myths vs facts"
BROWSE_MESSAGES_TITLE = "Key messages"
PICK_TOPIC = "Choose a topic"
PICK_TEMPLATE = "Choose a template"
START_DRAFT_TITLE = "Start a draft"
