# is this ok when lots of members drop off seeds at the same time (spring swap day)?
@app.post("/varieties/{variety_id}/returns")
def return_seeds(variety_id: int, body: ReturnIn, member=Depends(current_member), db: Session = Depends(get_db)):
    variety = db.get(SeedVariety, variety_id)
    if variety is None:
        raise HTTPException(404)
    variety.packets_available = variety.packets_available + body.packets
    variety.times_returned += 1
    db.add(SeedReturn(variety_id=variety_id, member_id=member.id, packets=body.packets))
    db.commit()
    return {"packets_available": variety.packets_available}
