from django.urls import reverse


def test_a_visitor_is_invited_to_register_or_log_in(client, db):
    response = client.get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="{reverse("accounts:register")}"' in html
    assert f'href="{reverse("accounts:login")}"' in html
    assert f'href="{reverse("privacy:current")}"' in html


def test_a_logged_in_consumer_lands_on_the_dashboard(client, alice):
    client.force_login(alice)

    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == reverse("billing:dashboard")


def test_every_page_names_its_icon_so_browsers_do_not_ask_for_a_missing_one(client, db):
    html = client.get("/").content.decode()

    assert 'rel="icon"' in html
