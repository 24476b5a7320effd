import requests
from django.http import JsonResponse
from django.views.decorators.http import require_POST

DEEPL = "https://api-free.deepl.com/v2/translate"


@require_POST
def translate_product(request, product_id):
    from .models import Product

    product = Product.objects.get(pk=product_id)
    out = {}
    for lang in ["DE", "FR", "ES", "IT", "NL", "PL"]:
        resp = requests.post(
            DEEPL,
            data={"text": product.description, "target_lang": lang},
            headers={"Authorization": f"DeepL-Auth-Key {request.user.profile.deepl_key}"},
        )
        out[lang] = resp.json()["translations"][0]["text"]
    return JsonResponse(out)
