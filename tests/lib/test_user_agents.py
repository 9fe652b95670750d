import pytest

from lib.user_agents import describe


@pytest.mark.parametrize(
    "agent,text",
    [
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/120.0.0.0 Safari/537.36",
            "Chrome 120, Windows 10/11",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/118.0.0.0 YaBrowser/23.11.0.0 Safari/537.36",
            "Яндекс Браузер 23, Windows 10/11",
        ),
        (
            "Mozilla/5.0 (Linux; Android 13; SM-A536B) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/119.0.0.0 Mobile Safari/537.36",
            "Chrome 119, Android 13",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
            "Safari 17, iOS 17",
        ),
        (
            "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
            "Firefox 121, Linux",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like "
            "Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.61",
            "Edge 120, macOS",
        ),
        ("", "—"),
        ("curl/8.4.0", "—"),
    ],
)
def test_a_user_agent_reads_as_browser_and_system(agent, text):
    assert describe(agent) == text
