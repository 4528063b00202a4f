from accounts.services import user_export


def test_a_residents_data_download_includes_their_board_posts_only(thread, alice, bob):
    posts = user_export(user=alice)["board_posts"]
    assert [(p["number"], p["text"]) for p in posts] == [(1, "期間はどれくらいでしたか？")]
    assert user_export(user=bob)["board_posts"] == []
