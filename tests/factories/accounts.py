import factory
from django.contrib.auth import get_user_model

PASSWORD = "test-password-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"compte{n}")
    first_name = "Rôle"
    last_name = factory.Sequence(lambda n: f"de test {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@test.invalid")
    # Hashed before the insert: no second save after post-generation.
    password = factory.django.Password(PASSWORD)
