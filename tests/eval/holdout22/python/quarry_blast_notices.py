# notices/tasks.py
#
# Statutory blasting notices for Hollins Quarry. When the shot-firer schedules a
# blast, every resident registered inside the notification radius gets an SMS
# or an email at least 24 hours ahead.

SMS_ENDPOINT = "https://api.textline.example.com/v1/messages"


def _send_sms(phone: str, body: str) -> str:
    resp = requests.post(
        SMS_ENDPOINT,
        json={"to": phone, "from": "HOLLINSQ", "body": body},
        headers={"Authorization": f"Bearer {settings.TEXTLINE_TOKEN}"},
    )
    resp.raise_for_status()
    return resp.json()["message_id"]


def _notice_text(blast: BlastEvent) -> str:
    window = blast.window_start.strftime("%a %d %b, %H:%M")
    return (
        f"Hollins Quarry: blasting on {window} (+/- 30 min) at {blast.bench_name}. "
        f"A siren sounds 5 min before. Questions: {settings.QUARRY_PHONE}"
    )


@shared_task(bind=True, acks_late=True)
def send_blast_notices(self, blast_id: int) -> dict:
    blast = BlastEvent.objects.get(pk=blast_id)
    body = _notice_text(blast)

    residents = Resident.objects.within_radius(
        blast.location, blast.notice_radius_m
    ).exclude(
        notice_deliveries__blast=blast
    )

    sent = {"sms": 0, "email": 0}
    deliveries = []
    for resident in residents.iterator(chunk_size=500):
        pref = ContactPreference.objects.filter(resident_id=resident.pk).first()
        channel = pref.channel if pref else "email"

        if channel == "sms" and resident.mobile:
            ref = _send_sms(resident.mobile, body)
        else:
            send_mail(
                subject=f"Blasting notice - {blast.window_start:%d %B}",
                message=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[resident.email],
            )
            ref = ""
            channel = "email"

        deliveries.append(NoticeDelivery(
            blast=blast, resident=resident, channel=channel,
            provider_ref=ref, sent_at=timezone.now(),
        ))
        sent[channel] += 1

    NoticeDelivery.objects.bulk_create(deliveries, batch_size=500)
    log.info("blast %s: notices sent %s", blast_id, sent)
    return sent
