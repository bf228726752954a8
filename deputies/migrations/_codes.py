"""Default rows of the deputies' code tables, used by the initial migration and after
every migrate or flush (deputies.apps). Existing rows are never changed."""

# National wording of the reply codes (domain §2) and the usual subject categories;
# both are tables administrators edit in the admin.
REPLY_CATEGORIES = [
    ("A", "所提问题已经解决或者基本解决", True, False, False, 1),
    ("B", "所提问题正在解决或者列入规划逐步解决", False, True, True, 2),
    ("C", "所提问题因目前条件限制或者其他原因需待以后解决", False, False, True, 3),
    ("D", "所提问题留作参考", False, False, False, 4),
]
SUGGESTION_CATEGORIES = ["财政经济", "城建环资", "教科文卫", "农业农村", "社会建设", "民主法制", "其他"]


def seed(apps) -> None:
    ReplyCategory = apps.get_model("deputies", "ReplyCategory")
    SuggestionCategory = apps.get_model("deputies", "SuggestionCategory")
    if ReplyCategory.objects.exists() and SuggestionCategory.objects.exists():
        return
    if not ReplyCategory.objects.exists():
        for code, label, solved, planned, follow, order in REPLY_CATEGORIES:
            ReplyCategory.objects.get_or_create(
                code=code,
                defaults={"label": label, "counts_as_solved": solved, "counts_as_planned": planned,
                          "opens_follow_up": follow, "sort_order": order},
            )
    if not SuggestionCategory.objects.exists():
        for i, name in enumerate(SUGGESTION_CATEGORIES, start=1):
            SuggestionCategory.objects.get_or_create(name=name, defaults={"sort_order": i})
