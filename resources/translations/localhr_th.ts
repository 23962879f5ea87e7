<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="th_TH">
<context>
    <name>AccountsPage</name>
    <message>
        <location filename="../../ui/office/accounts.py" line="+47"/>
        <source>Clerk</source>
        <translation>เจ้าหน้าที่บันทึกข้อมูล</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Supervisor</source>
        <translation>ผู้อนุมัติ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Organization admin</source>
        <translation>ผู้ดูแลระบบขององค์กร</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Auditor</source>
        <translation>ผู้ตรวจสอบ</translation>
    </message>
    <message>
        <location line="+133"/>
        <source>Reading the accounts at the central…</source>
        <translation>กำลังอ่านบัญชีผู้ใช้จากศูนย์กลาง…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>never</source>
        <translation>ไม่เคย</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>%1 account(s)</source>
        <translation>%1 บัญชี</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Disabled</source>
        <translation>ปิดใช้งาน</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Active; one-time password not changed yet</source>
        <translation>ใช้งานอยู่ ยังไม่ได้เปลี่ยนรหัสผ่านใช้ครั้งเดียว</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Active</source>
        <translation>ใช้งานอยู่</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>&amp;Enable…</source>
        <translation>เปิดใช้งาน… (&amp;D)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Disable…</source>
        <translation>ปิดใช้งาน… (&amp;D)</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>This username is taken: choose another.</source>
        <translation>ชื่อผู้ใช้นี้มีผู้ใช้แล้ว โปรดเลือกชื่ออื่น</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The central refused these details: %1</source>
        <translation>ศูนย์กลางไม่รับข้อมูลนี้: %1</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Reset the password of %1? Their sessions end, and they log in next with a one-time password you give them, which they must change at once.</source>
        <translation>ตั้งรหัสผ่านใหม่ให้ %1 หรือไม่? การเข้าระบบทุกรายการของผู้ใช้นี้จะสิ้นสุดลง และครั้งต่อไปต้องเข้าระบบด้วยรหัสผ่านใช้ครั้งเดียวที่ท่านมอบให้ ซึ่งต้องเปลี่ยนทันที</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Reset password</source>
        <translation>ตั้งรหัสผ่านใหม่ (&amp;R)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Disable the account of %1? They can no longer log in, on any PC, and their sessions end now. Their work already sent stays.</source>
        <translation>ปิดใช้งานบัญชีของ %1 หรือไม่? ผู้ใช้นี้จะเข้าระบบไม่ได้อีกทุกเครื่อง และการเข้าระบบที่มีอยู่สิ้นสุดทันที งานที่ส่งไปแล้วยังอยู่ครบ</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Disable</source>
        <translation>ปิดใช้งาน (&amp;D)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Enable the account of %1 again?</source>
        <translation>เปิดใช้งานบัญชีของ %1 อีกครั้งหรือไม่?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Enable</source>
        <translation>เปิดใช้งาน (&amp;E)</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>End every session of %1? On each PC they must log in again (online) before their work is sent.</source>
        <translation>สิ้นสุดการเข้าระบบทุกรายการของ %1 หรือไม่? ทุกเครื่องต้องเข้าระบบใหม่ (ออนไลน์) ก่อนงานจะถูกส่ง</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;End sessions</source>
        <translation>สิ้นสุดการเข้าระบบ (&amp;E)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 session(s) ended.</source>
        <translation>สิ้นสุดการเข้าระบบแล้ว %1 รายการ</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>User accounts are kept at the central, which cannot be reached now. Adding, resetting or disabling a user needs it: press Refresh (F5) when the network is back.</source>
        <translation>บัญชีผู้ใช้เก็บไว้ที่ศูนย์กลาง ซึ่งขณะนี้ติดต่อศูนย์กลางไม่ได้ การเพิ่มผู้ใช้ ตั้งรหัสผ่านใหม่ หรือปิดใช้งาน ต้องทำผ่านศูนย์กลาง กดโหลดใหม่ (F5) เมื่อเครือข่ายกลับมา</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>User accounts</source>
        <translation>บัญชีผู้ใช้</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Username</source>
        <translation>ชื่อผู้ใช้</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>ชื่อที่แสดง</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Role</source>
        <translation>บทบาท</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>สถานะ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last login</source>
        <translation>เข้าระบบล่าสุด</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Add user…</source>
        <translation>เพิ่มผู้ใช้… (&amp;A)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reset &amp;password…</source>
        <translation>ตั้งรหัสผ่านใหม่… (&amp;P)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>End &amp;sessions…</source>
        <translation>สิ้นสุดการเข้าระบบ… (&amp;S)</translation>
    </message>
</context>
<context>
    <name>AddUserDialog</name>
    <message>
        <location line="-258"/>
        <source>LocalHR Desk: add a user</source>
        <translation>LocalHR Desk: เพิ่มผู้ใช้</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A new user of the office</source>
        <translation>ผู้ใช้ใหม่ของสำนักงาน</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Username</source>
        <translation>ชื่อผู้ใช้ (&amp;U)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Name shown</source>
        <translation>ชื่อที่แสดง (&amp;N)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Role</source>
        <translation>บทบาท (&amp;R)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Also works for</source>
        <translation>ทำงานให้หน่วยงานอื่นด้วย</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The username has Latin letters, digits and dots (e.g. somchai.j). The central makes a one-time password, shown once, which the user changes at their first login.</source>
        <translation>ชื่อผู้ใช้ประกอบด้วยตัวอักษรละติน ตัวเลข และจุด (เช่น somchai.j) ศูนย์กลางจะสร้างรหัสผ่านใช้ครั้งเดียวซึ่งแสดงเพียงครั้งเดียว ผู้ใช้ต้องเปลี่ยนเมื่อเข้าระบบครั้งแรก</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Add user</source>
        <translation>เพิ่มผู้ใช้ (&amp;A)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>ยกเลิก</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The username must be Latin letters, digits and dots, starting with a letter or digit.</source>
        <translation>ชื่อผู้ใช้ต้องเป็นตัวอักษรละติน ตัวเลข และจุด และขึ้นต้นด้วยตัวอักษรหรือตัวเลข</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Type the name shown for the user.</source>
        <translation>พิมพ์ชื่อที่แสดงของผู้ใช้</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Adding the user at the central…</source>
        <translation>กำลังเพิ่มผู้ใช้ที่ศูนย์กลาง…</translation>
    </message>
</context>
<context>
    <name>AttentionPanel</name>
    <message>
        <location filename="../../ui/attention_panel.py" line="+44"/>
        <source>Someone changed the same fields of this record at the central meanwhile.</source>
        <extracomment>code → (what happened, what to do); translated when shown.</extracomment>
        <translation>ระหว่างนั้นมีผู้แก้ไขช่องเดียวกันของระเบียนนี้ที่ศูนย์กลางไปแล้ว</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The supervisor opens the submission and settles the fields again, choosing between the values side by side, then approves again.</source>
        <translation>ผู้บังคับบัญชาเปิดคำขอนี้ เลือกค่าของช่องที่ขัดกันใหม่โดยดูค่าเทียบกัน แล้วอนุมัติอีกครั้ง</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The official record changed after these fields were settled on this PC.</source>
        <translation>ระเบียนทางการเปลี่ยนไปหลังจากที่ได้เลือกค่าของช่องเหล่านี้ในเครื่องนี้</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The supervisor opens the submission and settles the fields again with the current values, then approves again.</source>
        <translation>ผู้บังคับบัญชาเปิดคำขอนี้ เลือกค่าของช่องที่ขัดกันใหม่ตามค่าปัจจุบัน แล้วอนุมัติอีกครั้ง</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The approval left fields in conflict unsettled.</source>
        <translation>การอนุมัติยังไม่ได้เลือกค่าของช่องที่ขัดกัน</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The supervisor opens the submission, picks a value for every field in conflict, and approves again.</source>
        <translation>ผู้บังคับบัญชาเปิดคำขอนี้ เลือกค่าให้ทุกช่องที่ขัดกัน แล้วอนุมัติอีกครั้ง</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The submission had already moved on at the central: approved, returned or withdrawn on another PC.</source>
        <translation>คำขอนี้ที่ศูนย์กลางดำเนินการไปแล้ว (อนุมัติ ส่งคืน หรือถอนจากเครื่องอื่น)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Open the submission to see its state now. Nothing else is needed; set this item aside.</source>
        <translation>เปิดคำขอเพื่อดูสถานะปัจจุบัน ไม่ต้องทำอะไรเพิ่ม แล้วพักรายการนี้ไว้</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Your account may not do this (for example approve its own submission, or change a record of another office).</source>
        <translation>บัญชีของคุณไม่มีสิทธิ์ทำรายการนี้ (เช่น อนุมัติคำขอของตนเอง หรือแก้ไขระเบียนของหน่วยงานอื่น)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Ask your supervisor or your organization admin who should do it.</source>
        <translation>สอบถามผู้บังคับบัญชาหรือผู้ดูแลระบบขององค์กรว่าใครควรเป็นผู้ทำ</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The central found the data incomplete or not valid.</source>
        <translation>ศูนย์กลางพบว่าข้อมูลไม่ครบหรือไม่ถูกต้อง</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open the submission, correct the fields marked, and submit it again.</source>
        <translation>เปิดคำขอ แก้ไขช่องที่มีเครื่องหมาย แล้วส่งใหม่อีกครั้ง</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This change is too large to send in one piece.</source>
        <translation>รายการแก้ไขนี้ใหญ่เกินกว่าจะส่งได้ในครั้งเดียว</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Split it into smaller submissions (for example fewer history rows at once), or ask IT staff to raise the central&apos;s limit.</source>
        <translation>แบ่งเป็นคำขอที่เล็กลง (เช่น ประวัติทีละน้อยรายการ) หรือขอให้เจ้าหน้าที่ไอทีเพิ่มขีดจำกัดของศูนย์กลาง</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The central does not have the record this change is about.</source>
        <translation>ศูนย์กลางไม่มีระเบียนที่รายการแก้ไขนี้อ้างถึง</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sync again later; if this stays, tell your organization admin.</source>
        <translation>ซิงค์อีกครั้งภายหลัง หากยังเป็นอยู่ ให้แจ้งผู้ดูแลระบบขององค์กร</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The record belongs to an organization outside your account&apos;s scope.</source>
        <translation>ระเบียนนี้เป็นขององค์กรที่อยู่นอกขอบเขตบัญชีของคุณ</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ask your organization admin; a record of another office is changed by that office.</source>
        <translation>สอบถามผู้ดูแลระบบขององค์กร ระเบียนของหน่วยงานอื่นต้องแก้ไขโดยหน่วยงานนั้น</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The change was made before this PC was registered again.</source>
        <translation>รายการนี้ทำไว้ก่อนที่เครื่องนี้จะลงทะเบียนใหม่</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Make the change again; set this item aside.</source>
        <translation>ทำรายการแก้ไขนี้ใหม่อีกครั้ง แล้วพักรายการนี้ไว้</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The central could not match the change to the account that made it.</source>
        <translation>ศูนย์กลางไม่สามารถจับคู่รายการนี้กับบัญชีผู้ที่ทำรายการได้</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Log in again as its author and sync; if this stays, tell IT staff.</source>
        <translation>ให้ผู้ทำรายการเข้าสู่ระบบอีกครั้งแล้วซิงค์ หากยังเป็นอยู่ ให้แจ้งเจ้าหน้าที่ไอที</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The central does not know this kind of change.</source>
        <translation>ศูนย์กลางไม่รู้จักรายการแก้ไขประเภทนี้</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Update LocalHR Desk to the latest version, then make the change again.</source>
        <translation>ปรับปรุง LocalHR Desk เป็นรุ่นล่าสุด แล้วทำรายการแก้ไขนี้ใหม่</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The central refused the change&apos;s record number or time: it cannot be right, or it already belongs to another record.</source>
        <translation>ศูนย์กลางไม่รับเลขอ้างอิงหรือเวลาของรายการแก้ไขนี้ เพราะไม่ถูกต้อง หรือเป็นของระเบียนอื่นอยู่แล้ว</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Do not make the change again yet. Tell your IT staff and give them the details below.</source>
        <translation>อย่าเพิ่งทำรายการนี้ใหม่ แจ้งเจ้าหน้าที่ไอทีพร้อมรายละเอียดด้านล่าง</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>This PC&apos;s activity log no longer matches what it sent before: an entry was changed on this PC.</source>
        <translation>บันทึกการใช้งานของเครื่องนี้ไม่ตรงกับที่เคยส่งไปแล้ว มีรายการถูกแก้ไขในเครื่องนี้</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Tell your organization admin at once. The central keeps the entries it received first.</source>
        <translation>แจ้งผู้ดูแลระบบของหน่วยงานทันที ศูนย์กลางเก็บรายการที่ได้รับครั้งแรกไว้แล้ว</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Only an organization admin may change the office&apos;s structure.</source>
        <translation>เฉพาะผู้ดูแลระบบของหน่วยงานเท่านั้นที่แก้ไขโครงสร้างของสำนักงานได้</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ask your organization admin to make the change; set this aside.</source>
        <translation>ขอให้ผู้ดูแลระบบของหน่วยงานเป็นผู้แก้ไข แล้วพักรายการนี้ไว้</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The central refused this change to the office&apos;s units or position slots: it breaks a rule of the structure (for example a position number already used, a unit placed under itself, or a level outside the position type).</source>
        <translation>ส่วนกลางไม่รับการแก้ไขหน่วยงานหรือตำแหน่งนี้ เพราะขัดกับหลักของโครงสร้าง (เช่น ตำแหน่งเลขที่ซ้ำกับที่มีอยู่ หน่วยงานอยู่ใต้ตัวเอง หรือระดับไม่ตรงกับประเภทตำแหน่ง)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Open the office&apos;s structure, see how it stands now after the sync, and make the change again within the rules.</source>
        <translation>เปิดโครงสร้างของสำนักงานดูสภาพหลังซิงค์ แล้วแก้ไขใหม่ให้ถูกหลัก</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The unit was not closed: people still hold its slots, or it still has open slots or units under it.</source>
        <translation>ยังปิดหน่วยงานนี้ไม่ได้ เพราะยังมีผู้ครองตำแหน่ง หรือยังมีตำแหน่งหรือหน่วยงานย่อยที่เปิดอยู่</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Move the people and slots to another unit, freeze or cut the slots left, then close the unit again.</source>
        <translation>ย้ายคนและตำแหน่งไปหน่วยงานอื่น ตรึงหรือยุบตำแหน่งที่เหลือ แล้วปิดหน่วยงานอีกครั้ง</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Another slot of this office already has this position number.</source>
        <translation>มีตำแหน่งอื่นของสำนักงานใช้ตำแหน่งเลขที่นี้แล้ว</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Give the slot another position number, or change the other slot.</source>
        <translation>ใช้ตำแหน่งเลขที่อื่น หรือแก้ไขตำแหน่งที่ใช้เลขนี้อยู่</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The position slot is already filled: another appointment to it was approved first.</source>
        <translation>ตำแหน่งนี้มีผู้ครองแล้ว เพราะมีการอนุมัติแต่งตั้งคนอื่นในตำแหน่งนี้ก่อน</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The supervisor returns the submission; the clerk chooses a vacant slot and sends it again.</source>
        <translation>ผู้อนุมัติส่งคืนรายการ ให้เจ้าหน้าที่เลือกตำแหน่งว่างแล้วส่งใหม่</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The position slot cannot take this person: it is frozen or cut, of another staff type, or no longer exists.</source>
        <translation>แต่งตั้งเข้าตำแหน่งนี้ไม่ได้ เพราะตำแหน่งถูกตรึงหรือยุบ เป็นของบุคลากรประเภทอื่น หรือไม่มีอยู่แล้ว</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The supervisor returns the submission; the clerk chooses a vacant slot, or the organization admin opens the slot again.</source>
        <translation>ผู้อนุมัติส่งคืนรายการ ให้เจ้าหน้าที่เลือกตำแหน่งว่าง หรือให้ผู้ดูแลระบบเปิดตำแหน่งนั้นอีกครั้ง</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The central did not accept this change.</source>
        <translation>ศูนย์กลางไม่รับรายการแก้ไขนี้</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tell your IT staff and give them the details below.</source>
        <translation>แจ้งเจ้าหน้าที่ไอทีพร้อมรายละเอียดด้านล่าง</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Draft</source>
        <translation>ร่าง</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sent for approval</source>
        <translation>ส่งขออนุมัติ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Withdrawal</source>
        <translation>ถอนคำขอ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approval</source>
        <translation>อนุมัติ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Return to the clerk</source>
        <translation>ส่งคืนเจ้าหน้าที่</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Activity log entry</source>
        <translation>บันทึกการใช้งาน</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unit of the office</source>
        <translation>หน่วยงานของสำนักงาน</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Closing a unit</source>
        <translation>การปิดหน่วยงาน</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Position slot</source>
        <translation>ตำแหน่ง (กรอบอัตรากำลัง)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Staffing plan line</source>
        <translation>รายการในแผนอัตรากำลัง</translation>
    </message>
    <message>
        <location line="+144"/>
        <source>The list could not be read: %1</source>
        <extracomment>The user asked to open the submission with this id.</extracomment>
        <translation>อ่านรายการไม่ได้: %1</translation>
    </message>
    <message numerus="yes">
        <location line="+13"/>
        <source>%n change(s) did not reach the central as made. What they changed on this PC was put back; the rest of your work was sent.</source>
        <translation>
            <numerusform>มี %n รายการที่ศูนย์กลางไม่รับ สิ่งที่รายการเหล่านี้เปลี่ยนในเครื่องนี้ได้คืนค่าเดิมแล้ว งานอื่นของคุณส่งไปเรียบร้อย</numerusform>
        </translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Nothing needs your attention: the central accepted every change.</source>
        <translation>ไม่มีรายการที่ต้องดำเนินการ ศูนย์กลางรับทุกรายการแล้ว</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>What to do:</source>
        <translation>สิ่งที่ต้องทำ:</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>%n field(s) in conflict.</source>
        <translation>
            <numerusform>มีช่องที่ขัดกัน %n ช่อง</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Change</source>
        <translation>รายการ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>About</source>
        <translation>เกี่ยวกับ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Made by</source>
        <translation>ผู้ทำรายการ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Made on</source>
        <translation>วันที่ทำ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Central&apos;s message</source>
        <translation>ข้อความจากศูนย์กลาง</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Changes the central did not accept</source>
        <translation>รายการที่ศูนย์กลางไม่รับ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Open the submission</source>
        <translation>เปิดคำขอ (&amp;O)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open the submission this change belongs to</source>
        <translation>เปิดคำขอที่รายการนี้เป็นส่วนหนึ่ง</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Set aside</source>
        <translation>พักไว้ (&amp;S)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>You have dealt with it: take it off this list (it is not sent again)</source>
        <translation>จัดการเรียบร้อยแล้ว: นำออกจากรายการนี้ (จะไม่ส่งซ้ำ)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Close</source>
        <translation>ปิด</translation>
    </message>
</context>
<context>
    <name>Authenticator</name>
    <message>
        <location filename="../../ui/login.py" line="+181"/>
        <source>Type your username and password.</source>
        <extracomment>The :class:`Session` of the user who logged in. Words for the user: why not. What is being done now (for a status line). A user&apos;s token was saved (a sync may now send their work). The central wants a new password first: a :class:`PendingChange`; answer with :meth:`password_changed` or :meth:`password_not_changed`.</extracomment>
        <translation>กรุณาพิมพ์ชื่อผู้ใช้และรหัสผ่าน</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Checking your password…</source>
        <translation>กำลังตรวจสอบรหัสผ่าน…</translation>
    </message>
    <message>
        <location line="+68"/>
        <source>Checking your password at the central…</source>
        <translation>กำลังตรวจสอบรหัสผ่านกับศูนย์กลาง…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Choose your own password…</source>
        <translation>ตั้งรหัสผ่านของท่านเอง…</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Your password was set by an administrator for one use only: you must choose your own before you can log in.</source>
        <translation>รหัสผ่านนี้ผู้ดูแลระบบตั้งให้ใช้ได้ครั้งเดียว ท่านต้องตั้งรหัสผ่านของท่านเองก่อนจึงจะเข้าระบบได้</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Receiving your office&apos;s data…</source>
        <translation>กำลังรับข้อมูลของหน่วยงาน…</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>The username or password is wrong. Check the keyboard language.</source>
        <translation>ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง โปรดตรวจสอบภาษาของแป้นพิมพ์</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Your first login on this PC must be online, and the central cannot be reached. Connect to the network and try again; after that you can also log in offline.</source>
        <translation>การเข้าสู่ระบบครั้งแรกที่เครื่องนี้ต้องทำขณะออนไลน์ แต่ขณะนี้ติดต่อศูนย์กลางไม่ได้ กรุณาเชื่อมต่อเครือข่ายแล้วลองอีกครั้ง หลังจากนั้นจะเข้าสู่ระบบแบบออฟไลน์ได้ด้วย</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The central no longer knows this PC. An organization admin must register it again.</source>
        <translation>ศูนย์กลางไม่รู้จักเครื่องนี้แล้ว ผู้ดูแลระบบขององค์กรต้องลงทะเบียนเครื่องใหม่</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The central refused this account here: it may be disabled or belong to another organization. Ask your organization admin.</source>
        <translation>ศูนย์กลางไม่ให้บัญชีนี้เข้าใช้ที่เครื่องนี้ บัญชีอาจถูกระงับหรือเป็นขององค์กรอื่น กรุณาสอบถามผู้ดูแลระบบขององค์กร</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>This PC is not registered with the central, so only users who logged in here before can log in (offline).</source>
        <translation>เครื่องนี้ยังไม่ได้ลงทะเบียนกับศูนย์กลาง จึงเข้าสู่ระบบได้เฉพาะผู้ที่เคยเข้าใช้เครื่องนี้แล้ว (แบบออฟไลน์)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The central accepted your password, but your account did not arrive on this PC. Try again; if it stays so, tell your organization admin.</source>
        <translation>ศูนย์กลางยอมรับรหัสผ่านแล้ว แต่ข้อมูลบัญชีของคุณยังมาไม่ถึงเครื่องนี้ ลองอีกครั้ง หากยังเป็นอยู่ ให้แจ้งผู้ดูแลระบบขององค์กร</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Receiving your office&apos;s data… (%1 rows)</source>
        <translation>กำลังรับข้อมูลของหน่วยงาน… (%1 แถว)</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <location filename="../../ui/change_password.py" line="+114"/>
        <source>LocalHR Desk: change password</source>
        <translation>LocalHR Desk: เปลี่ยนรหัสผ่าน</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Change the password of %1</source>
        <translation>เปลี่ยนรหัสผ่านของ %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Your password was set by an administrator and is for one use only. Choose your own password now: you cannot go on without it.</source>
        <translation>รหัสผ่านของท่านผู้ดูแลระบบเป็นผู้ตั้งให้ และใช้ได้ครั้งเดียว โปรดตั้งรหัสผ่านของท่านเองตอนนี้ มิฉะนั้นจะทำงานต่อไม่ได้</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A password has at least %1 characters, Thai or Latin, and may not be the current one. Only you should know it.</source>
        <translation>รหัสผ่านต้องมีอย่างน้อย %1 ตัวอักษร (ไทยหรือละตินก็ได้) และต้องไม่ซ้ำกับรหัสผ่านปัจจุบัน ควรมีเพียงท่านที่รู้</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Current password</source>
        <translation>รหัสผ่านปัจจุบัน (&amp;C)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;New password</source>
        <translation>รหัสผ่านใหม่ (&amp;N)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New password &amp;again</source>
        <translation>รหัสผ่านใหม่อีกครั้ง (&amp;A)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Change password</source>
        <translation>เปลี่ยนรหัสผ่าน (&amp;C)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Log &amp;out</source>
        <translation>ออกจากระบบ (&amp;O)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Cancel</source>
        <translation>ยกเลิก</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Type your current password.</source>
        <translation>พิมพ์รหัสผ่านปัจจุบันของท่าน</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The new password is the current one: choose another.</source>
        <translation>รหัสผ่านใหม่ซ้ำกับรหัสผ่านปัจจุบัน โปรดตั้งรหัสอื่น</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The new password must have %1 to %2 characters.</source>
        <translation>รหัสผ่านใหม่ต้องมี %1 ถึง %2 ตัวอักษร</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The two new passwords differ: type the same one twice.</source>
        <translation>รหัสผ่านใหม่ทั้งสองช่องไม่ตรงกัน โปรดพิมพ์รหัสเดียวกันสองครั้ง</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Changing your password at the central…</source>
        <translation>กำลังเปลี่ยนรหัสผ่านที่ศูนย์กลาง…</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>The current password is wrong. Check the keyboard language.</source>
        <translation>รหัสผ่านปัจจุบันไม่ถูกต้อง ตรวจสอบภาษาของแป้นพิมพ์</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The central refused the new password: %1</source>
        <translation>ศูนย์กลางไม่รับรหัสผ่านใหม่: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>at least %1 characters, and not the current one.</source>
        <translation>ต้องมีอย่างน้อย %1 ตัวอักษร และไม่ซ้ำกับรหัสผ่านปัจจุบัน</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The central cannot be reached, and a password is changed there. Connect to the network and try again.</source>
        <translation>ติดต่อศูนย์กลางไม่ได้ และการเปลี่ยนรหัสผ่านต้องทำที่ศูนย์กลาง เชื่อมต่อเครือข่ายแล้วลองอีกครั้ง</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This PC has no session of yours at the central now. Lock the program (Ctrl+L), log in again while the central can be reached, then try again.</source>
        <translation>ขณะนี้เครื่องนี้ไม่มีการเข้าระบบของท่านที่ศูนย์กลาง ล็อกโปรแกรม (Ctrl+L) แล้วเข้าระบบใหม่ขณะติดต่อศูนย์กลางได้ จากนั้นลองอีกครั้ง</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The central refused the change: %1</source>
        <translation>ศูนย์กลางไม่รับการเปลี่ยนแปลง: %1</translation>
    </message>
</context>
<context>
    <name>CitizenIdEdit</name>
    <message>
        <location filename="../../ui/citizen_id_edit.py" line="+42"/>
        <source>Citizen ID</source>
        <extracomment>The clerk changed the number (not emitted by :meth:`set_value`). What :meth:`local_issues` returns may have changed.</extracomment>
        <translation>เลขประจำตัวประชาชน</translation>
    </message>
</context>
<context>
    <name>ClerkScreens</name>
    <message>
        <location filename="../../ui/clerk_screens.py" line="+52"/>
        <source>My submissions</source>
        <translation>เรื่องที่ฉันเสนอ</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;My submissions</source>
        <translation>เรื่องที่ฉันเสนอ(&amp;M)</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>New person</source>
        <translation>บุคคลใหม่</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Person</source>
        <translation>บุคคล</translation>
    </message>
</context>
<context>
    <name>ConflictPicker</name>
    <message>
        <location filename="../../ui/decision_view.py" line="+62"/>
        <source>Conflicts: the official record changed the same fields</source>
        <translation>ข้อขัดแย้ง: ทะเบียนจริงเปลี่ยนช่องเดียวกันไปแล้ว</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Field</source>
        <translation>ช่องข้อมูล</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+14"/>
        <source>Base</source>
        <translation>ค่าเดิมที่ผู้เสนอเห็น</translation>
    </message>
    <message>
        <location line="-14"/>
        <location line="+12"/>
        <source>Official now</source>
        <translation>ทะเบียนจริงขณะนี้</translation>
    </message>
    <message>
        <location line="-12"/>
        <location line="+13"/>
        <source>Proposed</source>
        <translation>ค่าที่เสนอ</translation>
    </message>
    <message>
        <location line="-12"/>
        <source>Keep</source>
        <translation>ใช้ค่า</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>(empty)</source>
        <translation>(ว่าง)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>— choose —</source>
        <translation>— เลือก —</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Another value…</source>
        <translation>ค่าอื่น…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The value to keep</source>
        <translation>ค่าที่จะใช้</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>History row</source>
        <translation>แถวประวัติ</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <location filename="../../ui/crash_dialog.py" line="+32"/>
        <source>Something went wrong</source>
        <extracomment>The widest the report&apos;s path makes the dialog (a longer one scrolls).</extracomment>
        <translation>เกิดข้อผิดพลาด</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Something went wrong in LocalHR Desk.</source>
        <translation>เกิดข้อผิดพลาดในโปรแกรม LocalHR Desk</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Crash report:</source>
        <translation>รายงานข้อผิดพลาด:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Details: %1</source>
        <translation>รายละเอียด: %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Open folder</source>
        <translation>เปิดโฟลเดอร์</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy path</source>
        <translation>คัดลอกที่อยู่ไฟล์</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Close the program</source>
        <translation>ปิดโปรแกรม</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Close</source>
        <translation>ปิด</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The crash report could not be written.</source>
        <translation>เขียนรายงานข้อผิดพลาดไม่สำเร็จ</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>The program could not finish starting and must close. Start it again; if this happens again, send the crash report below to your IT support.</source>
        <translation>โปรแกรมเริ่มทำงานไม่สำเร็จและต้องปิดลง โปรดเปิดโปรแกรมใหม่อีกครั้ง หากยังเกิดขึ้นอีก โปรดส่งรายงานข้อผิดพลาดด้านล่างให้เจ้าหน้าที่ไอที</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The program keeps running: you can go on working. If this happens again, send the crash report below to your IT support.</source>
        <translation>โปรแกรมยังทำงานอยู่ คุณทำงานต่อได้ตามปกติ หากเกิดขึ้นอีก โปรดส่งรายงานข้อผิดพลาดด้านล่างให้เจ้าหน้าที่ไอที</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Some of what you were typing could not be saved. Do not close the program yet: check the records you have open first.</source>
        <translation>ข้อมูลบางส่วนที่คุณกำลังพิมพ์ยังบันทึกไม่ได้ โปรดอย่าเพิ่งปิดโปรแกรม และตรวจสอบระเบียนที่เปิดอยู่ก่อน</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>What you were typing has been saved as a draft.</source>
        <translation>ข้อมูลที่คุณกำลังพิมพ์ถูกบันทึกเป็นฉบับร่างแล้ว</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Path copied</source>
        <translation>คัดลอกแล้ว</translation>
    </message>
</context>
<context>
    <name>Curtain</name>
    <message>
        <location filename="../../ui/session.py" line="+146"/>
        <source>🔒 Locked: log in again to see this window</source>
        <translation>🔒 ล็อกอยู่: เข้าสู่ระบบอีกครั้งเพื่อดูหน้าต่างนี้</translation>
    </message>
</context>
<context>
    <name>DecisionView</name>
    <message>
        <location filename="../../ui/decision_view.py" line="+60"/>
        <source>Field</source>
        <extracomment>The submission was approved or returned (its id): the queue and the register changed.</extracomment>
        <translation>ช่องข้อมูล</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Base</source>
        <translation>ค่าเดิมที่ผู้เสนอเห็น</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Official now</source>
        <translation>ทะเบียนจริงขณะนี้</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Proposed</source>
        <translation>ค่าที่เสนอ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Comment for the clerk</source>
        <translation>หมายเหตุถึงผู้บันทึก</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Why it goes back to the clerk (required to return)</source>
        <translation>เหตุผลที่ส่งคืนผู้บันทึก (ต้องระบุเมื่อส่งคืน)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Approve</source>
        <translation>อนุมัติ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Return to the clerk</source>
        <translation>ส่งคืนผู้บันทึก</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Reason:</source>
        <translation>เหตุผล:</translation>
    </message>
    <message>
        <location line="+31"/>
        <location line="+1"/>
        <source>Decision</source>
        <translation>การพิจารณา</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 · %2 · proposed by %3</source>
        <translation>%1 · %2 · เสนอโดย %3</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>You proposed this change: another supervisor decides it.</source>
        <translation>คุณเป็นผู้เสนอรายการนี้เอง ผู้อนุมัติคนอื่นต้องเป็นผู้พิจารณา</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1 also proposes a change to: %2</source>
        <translation>%1 ก็เสนอแก้ไข: %2 อยู่ด้วย</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Approving one of them puts the other in conflict.</source>
        <translation>อนุมัติเรื่องใดเรื่องหนึ่งแล้ว อีกเรื่องจะขัดแย้ง</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Pick a value for every conflict first</source>
        <translation>เลือกค่าของทุกช่องที่ขัดกันก่อน</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Approved.</source>
        <translation>อนุมัติแล้ว</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Write the reason the clerk will read before returning.</source>
        <translation>กรุณาเขียนเหตุผลให้ผู้บันทึกอ่านก่อนส่งคืน</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Returned to the clerk.</source>
        <translation>ส่งคืนผู้บันทึกแล้ว</translation>
    </message>
</context>
<context>
    <name>DevicesPage</name>
    <message>
        <location filename="../../ui/office/devices.py" line="+100"/>
        <source>Reading the PCs at the central…</source>
        <translation>กำลังอ่านรายการเครื่องจากศูนย์กลาง…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 (this PC)</source>
        <translation>%1 (เครื่องนี้)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Revoked %1</source>
        <translation>เพิกถอนเมื่อ %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>In use</source>
        <translation>ใช้งานอยู่</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>never</source>
        <translation>ไม่เคย</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>%1 PC(s) in use, %2 revoked</source>
        <translation>ใช้งานอยู่ %1 เครื่อง เพิกถอนแล้ว %2 เครื่อง</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Revoke the PC “%1”? It stops working with the central at once: nobody can log in online or sync there, and its work not sent yet stays on it. To use it again it must be enrolled again (first run, by an organization admin).</source>
        <translation>เพิกถอนเครื่อง “%1” หรือไม่? เครื่องนี้จะติดต่อศูนย์กลางไม่ได้ทันที ไม่มีใครเข้าระบบออนไลน์หรือซิงค์จากเครื่องนี้ได้ งานที่ยังไม่ได้ส่งจะค้างอยู่ในเครื่อง หากจะใช้อีกต้องลงทะเบียนเครื่องใหม่ (การเริ่มใช้งานครั้งแรก โดยผู้ดูแลระบบขององค์กร)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This is the PC you are using now.</source>
        <translation>นี่คือเครื่องที่ท่านกำลังใช้อยู่</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Revoke “%1”</source>
        <translation>เพิกถอน “%1” (&amp;R)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The list of the office&apos;s PCs is kept at the central, which cannot be reached now. Renaming or revoking a PC needs it: press Refresh (F5) when the network is back.</source>
        <translation>รายการเครื่องของสำนักงานเก็บไว้ที่ศูนย์กลาง ซึ่งขณะนี้ติดต่อศูนย์กลางไม่ได้ การเปลี่ยนชื่อหรือเพิกถอนเครื่องต้องทำผ่านศูนย์กลาง กดโหลดใหม่ (F5) เมื่อเครือข่ายกลับมา</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The office&apos;s PCs</source>
        <translation>เครื่องคอมพิวเตอร์ของสำนักงาน</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>PC</source>
        <translation>เครื่อง</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Registered</source>
        <translation>ลงทะเบียนเมื่อ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last sync</source>
        <translation>ซิงค์ล่าสุด</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Program version</source>
        <translation>รุ่นโปรแกรม</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Changes waiting</source>
        <translation>รายการรอส่ง</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>สถานะ</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Re&amp;name…</source>
        <translation>เปลี่ยนชื่อ… (&amp;N)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Re&amp;voke…</source>
        <translation>เพิกถอน… (&amp;V)</translation>
    </message>
</context>
<context>
    <name>EditorFooter</name>
    <message>
        <location filename="../../ui/editor_frame.py" line="+181"/>
        <source>Withdraw…</source>
        <translation>ถอนเรื่อง…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send for approval (Ctrl+Enter)</source>
        <translation>ส่งขออนุมัติ (Ctrl+Enter)</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>A new person: enters the register once approved.</source>
        <translation>บุคคลใหม่: จะเข้าทะเบียนเมื่อได้รับอนุมัติ</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n field(s)</source>
        <translation>
            <numerusform>%n ช่อง</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n history row(s)</source>
        <translation>
            <numerusform>ประวัติ %n รายการ</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Differs from the official record: %1</source>
        <translation>ต่างจากข้อมูลในทะเบียน: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Same as the official record.</source>
        <translation>ตรงกับข้อมูลในทะเบียน</translation>
    </message>
</context>
<context>
    <name>EditorHeader</name>
    <message>
        <location line="-61"/>
        <source>New person</source>
        <translation>บุคคลใหม่</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Official record: no change proposed</source>
        <translation>ข้อมูลในทะเบียน · ยังไม่มีคำขอแก้ไข</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>New person: not saved yet</source>
        <translation>บุคคลใหม่ · ยังไม่ได้บันทึก</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Returned by the supervisor: %1</source>
        <translation>ผู้อนุมัติส่งกลับให้แก้ไข: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fix the marked fields, then send it again.</source>
        <translation>แก้ไขช่องที่มีกรอบสีแดง แล้วส่งขออนุมัติอีกครั้ง</translation>
    </message>
</context>
<context>
    <name>Enrolment</name>
    <message>
        <location filename="../../ui/first_run.py" line="+173"/>
        <source>The certificate file %1 does not exist.</source>
        <extracomment>Makes and starts the demo&apos;s central (blocking: run on a worker).</extracomment>
        <translation>ไม่พบไฟล์ใบรับรอง %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Fill in every field (the certificate file may stay empty).</source>
        <translation>กรุณากรอกให้ครบทุกช่อง (ไฟล์ใบรับรองเว้นว่างได้)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Registering this PC at the central…</source>
        <translation>กำลังลงทะเบียนเครื่องนี้กับศูนย์กลาง…</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Starting the demo&apos;s central on this PC…</source>
        <translation>กำลังเริ่มศูนย์กลางทดลองในเครื่องนี้…</translation>
    </message>
    <message>
        <location line="+71"/>
        <source>The central&apos;s address must start with https:// (plain http:// only for a central on this same computer), e.g. https://central.example.go.th</source>
        <translation>ที่อยู่ของศูนย์กลางต้องขึ้นต้นด้วย https:// (ใช้ http:// ได้เฉพาะศูนย์กลางที่อยู่ในเครื่องนี้) เช่น https://central.example.go.th</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>This computer has no secure password store, so this PC&apos;s credential cannot be kept and the PC cannot be registered. Ask your IT staff to turn one on (for example Windows Credential Manager or GNOME Keyring); the details are in the program&apos;s log. You can try the demo meanwhile.</source>
        <translation>คอมพิวเตอร์เครื่องนี้ไม่มีที่เก็บรหัสผ่านที่ปลอดภัย จึงเก็บข้อมูลรับรองของเครื่องไม่ได้และลงทะเบียนเครื่องไม่ได้ กรุณาให้เจ้าหน้าที่ไอทีเปิดใช้ (เช่น Windows Credential Manager หรือ GNOME Keyring) รายละเอียดอยู่ในบันทึกการทำงานของโปรแกรม ระหว่างนี้ลองใช้ระบบทดลองได้</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The central did not accept these details. Check the organization code, and that the username and password are those of an organization admin of that organization.</source>
        <translation>ศูนย์กลางไม่รับข้อมูลชุดนี้ ข้อมูลอาจไม่ถูกต้อง: ตรวจสอบรหัสองค์กร และตรวจว่าชื่อผู้ใช้และรหัสผ่านเป็นของผู้ดูแลองค์กรของหน่วยงานนั้น</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The central cannot be reached at this address. Check the address and the network connection, then try again.</source>
        <translation>ติดต่อศูนย์กลางที่ที่อยู่นี้ไม่ได้ กรุณาตรวจสอบที่อยู่และการเชื่อมต่อเครือข่าย แล้วลองอีกครั้ง</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The central&apos;s security certificate could not be verified. Check the address; if your office uses its own certificates, choose their file.</source>
        <translation>ตรวจสอบใบรับรองความปลอดภัยของศูนย์กลางไม่ผ่าน กรุณาตรวจสอบที่อยู่ หากหน่วยงานใช้ใบรับรองของตนเอง ให้เลือกไฟล์ใบรับรองนั้น</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The demo&apos;s central could not start: %1</source>
        <translation>เริ่มศูนย์กลางทดลองไม่ได้: %1</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <location line="+85"/>
        <source>LocalHR Desk: first start</source>
        <translation>LocalHR Desk: เริ่มใช้งานครั้งแรก</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Welcome to LocalHR Desk</source>
        <translation>ยินดีต้อนรับสู่ LocalHR Desk</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This PC keeps your office&apos;s personnel records and works without a connection; whenever there is one, it exchanges them with the central data center. First, connect it to your central, or try the program on an example office.</source>
        <translation>เครื่องนี้เก็บทะเบียนประวัติบุคลากรของหน่วยงานและทำงานได้แม้ไม่มีอินเทอร์เน็ต เมื่อเชื่อมต่อได้จะรับส่งข้อมูลกับศูนย์ข้อมูลกลาง เริ่มต้นด้วยการเชื่อมต่อกับศูนย์กลางของหน่วยงาน หรือทดลองใช้กับหน่วยงานตัวอย่าง</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Connect to my office&apos;s central</source>
        <translation>เชื่อมต่อกับศูนย์กลางของหน่วยงาน (&amp;C)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Try the &amp;demo</source>
        <translation>ทดลองใช้ระบบทดลอง (&amp;D)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>An example office with Thai demo people, its own central on this PC, and accounts for a clerk, a supervisor and an admin. Nothing leaves this PC.</source>
        <translation>หน่วยงานตัวอย่างพร้อมรายชื่อบุคลากรสมมุติ มีศูนย์กลางของตนเองในเครื่องนี้ และบัญชีสำหรับเจ้าหน้าที่ ผู้บังคับบัญชา และผู้ดูแลระบบ ไม่มีข้อมูลใดออกนอกเครื่อง</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The demo needs the central service installed.</source>
        <translation>ระบบทดลองต้องติดตั้งบริการศูนย์กลางก่อน</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>An organization admin registers this PC</source>
        <translation>ผู้ดูแลองค์กรลงทะเบียนเครื่องนี้</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Central &amp;address</source>
        <translation>ที่อยู่ศูนย์กลาง (&amp;A)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>C&amp;ertificate file</source>
        <translation>ไฟล์ใบรับรอง (&amp;E)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Organization code</source>
        <translation>รหัสองค์กร (&amp;O)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Org admin&apos;s &amp;username</source>
        <translation>ชื่อผู้ใช้ของผู้ดูแลองค์กร (&amp;U)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Org admin&apos;s &amp;password</source>
        <translation>รหัสผ่านของผู้ดูแลองค์กร (&amp;P)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Name of this PC</source>
        <translation>ชื่อเครื่องนี้ (&amp;N)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>optional</source>
        <translation>ไม่บังคับ</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Only if your office uses its own certificates: a PEM file of them</source>
        <translation>เฉพาะเมื่อหน่วยงานใช้ใบรับรองของตนเอง: ไฟล์ PEM ของใบรับรองนั้น</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The organization&apos;s 7-digit DLA code, e.g. 6340101</source>
        <translation>รหัส อปท. 7 หลักขององค์กร เช่น 6340101</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Browse…</source>
        <translation>เลือกไฟล์… (&amp;B)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Quit</source>
        <translation>ออก (&amp;Q)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>&amp;Register this PC</source>
        <translation>ลงทะเบียนเครื่องนี้ (&amp;R)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Start the demo</source>
        <translation>เริ่มระบบทดลอง (&amp;S)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>CA certificates</source>
        <translation>ใบรับรอง CA</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Certificates (*.pem *.crt *.cer)</source>
        <translation>ใบรับรอง (*.pem *.crt *.cer)</translation>
    </message>
</context>
<context>
    <name>HelpWindow</name>
    <message>
        <location filename="../../ui/help_window.py" line="+63"/>
        <source>LocalHR Desk manual</source>
        <translation>คู่มือ LocalHR Desk</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Back</source>
        <translation>ย้อนกลับ</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Forward</source>
        <translation>ถัดไป</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Contents</source>
        <translation>สารบัญ</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>About LocalHR Desk</source>
        <translation>เกี่ยวกับ LocalHR Desk</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Version %1</source>
        <translation>รุ่น %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The personnel register of local government offices: it works offline and syncs with the central data center whenever a connection exists.</source>
        <translation>ทะเบียนประวัติบุคลากรขององค์กรปกครองส่วนท้องถิ่น ใช้งานได้แม้ไม่มีอินเทอร์เน็ต และซิงค์กับศูนย์ข้อมูลกลางเมื่อมีการเชื่อมต่อ</translation>
    </message>
</context>
<context>
    <name>HistoryScreens</name>
    <message>
        <location filename="../../ui/person_history.py" line="+153"/>
        <source>&amp;History of the selected person</source>
        <translation>&amp;ประวัติการเปลี่ยนแปลงของบุคคลที่เลือก</translation>
    </message>
</context>
<context>
    <name>HistoryTab</name>
    <message>
        <location filename="../../ui/history_tab.py" line="+145"/>
        <source>Add row (Ins)</source>
        <translation>เพิ่มรายการ (Ins)</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+167"/>
        <source>Delete row (Del)</source>
        <translation>ลบรายการ (Del)</translation>
    </message>
    <message>
        <location line="-151"/>
        <source>Selected row</source>
        <translation>รายการที่เลือก</translation>
    </message>
    <message>
        <location line="+151"/>
        <source>Restore row (Del)</source>
        <translation>คืนรายการ (Del)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Choose a row in the table, or add one with Insert.</source>
        <translation>เลือกรายการในตาราง หรือกด Insert เพื่อเพิ่มรายการ</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>A row this submission adds.</source>
        <translation>รายการที่ขอเพิ่มใหม่</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This submission deletes this row; Delete restores it.</source>
        <translation>รายการนี้อยู่ในคำขอลบ กด Delete อีกครั้งเพื่อคืนรายการ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Marked fields differ from the official record.</source>
        <translation>ช่องที่มีสีพื้นต่างจากข้อมูลในทะเบียน</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../ui/login.py" line="+102"/>
        <source>LocalHR Desk: log in</source>
        <extracomment>The :class:`Session` of whoever logged in (the same or another user).</extracomment>
        <translation>LocalHR Desk: เข้าสู่ระบบ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Username</source>
        <translation>ชื่อผู้ใช้ (&amp;U)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Password</source>
        <translation>รหัสผ่าน (&amp;P)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>S&amp;witch user</source>
        <translation>เปลี่ยนผู้ใช้ (&amp;W)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Quit</source>
        <translation>ออก (&amp;Q)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Locked</source>
        <translation>ล็อกอยู่</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 stepped away. Type the password of %2 to go on.</source>
        <translation>%1 ไม่ได้ใช้งานชั่วคราว พิมพ์รหัสผ่านของ %2 เพื่อทำงานต่อ</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Unlock</source>
        <translation>ปลดล็อก (&amp;U)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>LocalHR Desk</source>
        <translation>LocalHR Desk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Log in</source>
        <translation>เข้าสู่ระบบ (&amp;L)</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <location filename="../../ui/main_window.py" line="+180"/>
        <source>%n change(s) not yet sent to the central</source>
        <extracomment>Tables whose pulled rows change what the personnel list shows. The user opened a person of the list: their id. The user asked for a new person (Ctrl+N). What waits when the user quits: (ops not yet at the central, drafts not yet sent for approval); the start-up sets it. None: nothing is asked at quit.</extracomment>
        <translation>
            <numerusform>การเปลี่ยนแปลง %n รายการที่ยังไม่ได้ส่งถึงศูนย์กลาง</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n draft(s) not yet sent for approval</source>
        <translation>
            <numerusform>ฉบับร่าง %n เรื่องที่ยังไม่ได้ส่งขออนุมัติ</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Still on this PC:</source>
        <translation>ยังอยู่ในเครื่องนี้:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quit LocalHR Desk?</source>
        <translation>ออกจาก LocalHR Desk หรือไม่</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Nothing is lost: it stays on this PC and goes at the next sync.</source>
        <translation>ไม่มีอะไรสูญหาย งานยังอยู่ในเครื่องนี้และจะถูกส่งเมื่อซิงค์ครั้งถัดไป</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sync, then quit</source>
        <translation>ซิงค์ก่อนแล้วออก</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quit now</source>
        <translation>ออกเลย</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stay</source>
        <translation>อยู่ต่อ</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Syncing before quitting…</source>
        <translation>กำลังซิงค์ก่อนออกจากโปรแกรม…</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Enter</source>
        <translation>Enter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>LocalHR Desk</source>
        <translation>LocalHR Desk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Personnel</source>
        <translation>บุคลากร</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;File</source>
        <translation>แฟ้ม (&amp;F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Edit</source>
        <translation>แก้ไข (&amp;E)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;View</source>
        <translation>มุมมอง (&amp;V)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Help</source>
        <translation>วิธีใช้ (&amp;H)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;New person…</source>
        <translation>เพิ่มบุคคลใหม่… (&amp;N)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Quit</source>
        <translation>ออก (&amp;Q)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Find a person</source>
        <translation>ค้นหาบุคคล (&amp;F)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Open the selected person</source>
        <translation>เปิดบุคคลที่เลือก (&amp;O)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Clear filters</source>
        <translation>ล้างตัวกรอง (&amp;C)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Reload the list</source>
        <translation>อ่านรายชื่อใหม่ (&amp;R)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Manual</source>
        <translation>คู่มือการใช้งาน (&amp;M)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About LocalHR Desk</source>
        <translation>เกี่ยวกับ LocalHR Desk (&amp;A)</translation>
    </message>
</context>
<context>
    <name>MySubmissions</name>
    <message>
        <location filename="../../ui/my_submissions.py" line="+53"/>
        <source>All</source>
        <extracomment>The order of the list: what waits for the clerk first. The clerk asked to open this submission (its id) in the person editor.</extracomment>
        <translation>ทั้งหมด</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>State</source>
        <translation>สถานะ</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Person</source>
        <translation>บุคคล</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Citizen ID</source>
        <translation>เลขประจำตัวประชาชน</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Change</source>
        <translation>เรื่อง</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last saved</source>
        <translation>บันทึกล่าสุด</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Open (Enter)</source>
        <translation>เปิด (Enter)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Show:</source>
        <translation>แสดง:</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Reading…</source>
        <translation>กำลังอ่าน…</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>You have proposed nothing yet.</source>
        <translation>คุณยังไม่มีเรื่องที่เสนอ</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Could not read your submissions: %1</source>
        <translation>อ่านรายการเรื่องของคุณไม่ได้: %1</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Returned by the supervisor: %1</source>
        <translation>ผู้อนุมัติส่งกลับให้แก้ไข: %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>History row</source>
        <translation>รายการประวัติ</translation>
    </message>
</context>
<context>
    <name>OfficeArea</name>
    <message>
        <location filename="../../ui/office/area.py" line="+93"/>
        <source>Structure</source>
        <translation>โครงสร้าง</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Position slots</source>
        <translation>กรอบอัตรากำลัง</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Staffing overview</source>
        <translation>ภาพรวมอัตรากำลัง</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Continue the set-up…</source>
        <translation>ตั้งค่าสำนักงานต่อ…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The office so far: %1 units · %2 slots · %3 accounts</source>
        <translation>สำนักงานตอนนี้มี: หน่วยงาน %1 · ตำแหน่ง %2 · บัญชีผู้ใช้ %3</translation>
    </message>
</context>
<context>
    <name>OfficePage</name>
    <message>
        <location filename="../../ui/office/page.py" line="+131"/>
        <source>Cancel</source>
        <translation>ยกเลิก</translation>
    </message>
    <message>
        <location line="+72"/>
        <source>This PC is not registered with a central, and this page works only there.</source>
        <translation>เครื่องนี้ไม่ได้ลงทะเบียนกับศูนย์กลาง และหน้านี้ใช้งานได้ผ่านศูนย์กลางเท่านั้น</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Your session at the central has ended. Lock the program (Ctrl+L) and log in again while the central can be reached, then press Refresh.</source>
        <translation>การเข้าระบบของท่านที่ศูนย์กลางสิ้นสุดแล้ว ล็อกโปรแกรม (Ctrl+L) แล้วเข้าระบบใหม่ขณะติดต่อศูนย์กลางได้ จากนั้นกดโหลดใหม่</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The central no longer knows this PC: it must be registered again.</source>
        <translation>ศูนย์กลางไม่รู้จักเครื่องนี้แล้ว ต้องลงทะเบียนเครื่องใหม่</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This computer&apos;s secure password store cannot be used, so this PC cannot talk to the central.</source>
        <translation>ใช้ที่เก็บรหัสผ่านที่ปลอดภัยของคอมพิวเตอร์นี้ไม่ได้ เครื่องนี้จึงติดต่อศูนย์กลางไม่ได้</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>The central refused: only an organization admin of this office may do this.</source>
        <translation>ศูนย์กลางไม่อนุญาต เฉพาะผู้ดูแลระบบขององค์กรนี้เท่านั้นที่ทำได้</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Change your one-time password first (your menu: Change password).</source>
        <translation>โปรดเปลี่ยนรหัสผ่านใช้ครั้งเดียวก่อน (เมนูของท่าน: เปลี่ยนรหัสผ่าน)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The central has no such entry any more: press Refresh.</source>
        <translation>ศูนย์กลางไม่มีรายการนี้แล้ว กดโหลดใหม่</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Something went wrong: %1</source>
        <translation>เกิดข้อผิดพลาด: %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Re&amp;fresh</source>
        <translation>โหลดใหม่ (&amp;F)</translation>
    </message>
</context>
<context>
    <name>OfficeScreens</name>
    <message>
        <location filename="../../ui/office/area.py" line="+30"/>
        <source>Accounts</source>
        <translation>บัญชีผู้ใช้</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PCs</source>
        <translation>เครื่องคอมพิวเตอร์</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Office</source>
        <translation>ผู้ดูแลสำนักงาน</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Office administration</source>
        <translation>ผู้ดูแล&amp;สำนักงาน</translation>
    </message>
</context>
<context>
    <name>OfficeWords</name>
    <message>
        <location filename="../../ui/office/words.py" line="+19"/>
        <source>Vacant</source>
        <extracomment>A slot&apos;s states, in the order the filters offer them.</extracomment>
        <translation>ว่าง</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Filled</source>
        <translation>มีผู้ครอง</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Frozen</source>
        <translation>ตรึงไว้</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cut</source>
        <translation>ยุบเลิก</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This unit still has {people} people, {slots} open slots and {units} open units under it: move them to another unit first</source>
        <extracomment>The structure service&apos;s refusals, by message key (``{name}`` placeholders are its params).</extracomment>
        <translation>หน่วยงานนี้ยังมีบุคลากร {people} คน ตำแหน่งที่ยังเปิดอยู่ {slots} ตำแหน่ง และหน่วยงานย่อยที่ยังเปิดอยู่ {units} หน่วย: ย้ายไปหน่วยงานอื่นก่อน</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A unit cannot be moved under itself or under one of its own units</source>
        <translation>ย้ายหน่วยงานไปอยู่ภายใต้ตัวเองหรือหน่วยงานย่อยของตัวเองไม่ได้</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This unit is closed</source>
        <translation>หน่วยงานนี้ปิดแล้ว</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This unit no longer exists</source>
        <translation>ไม่มีหน่วยงานนี้แล้ว</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Type the unit&apos;s name</source>
        <translation>พิมพ์ชื่อหน่วยงาน</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose the kind of unit</source>
        <translation>เลือกประเภทหน่วยงาน</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Units may nest at most {max} levels deep</source>
        <translation>หน่วยงานซ้อนกันได้ไม่เกิน {max} ชั้น</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The office already has as many units as it may ({max})</source>
        <translation>สำนักงานมีหน่วยงานครบจำนวนที่มีได้แล้ว ({max})</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Type the position number</source>
        <translation>พิมพ์ตำแหน่งเลขที่</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Another slot of the office already has the position number {number}</source>
        <translation>ตำแหน่งเลขที่ {number} มีอยู่แล้วในสำนักงานนี้</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Type the position&apos;s title</source>
        <translation>พิมพ์ชื่อตำแหน่ง</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose the position type</source>
        <translation>เลือกประเภทตำแหน่ง</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This level does not belong to the position type</source>
        <translation>ระดับนี้ไม่ใช่ระดับของประเภทตำแหน่งนี้</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The lowest level comes after the highest</source>
        <translation>ระดับต่ำสุดสูงกว่าระดับสูงสุด</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Choose the staff type</source>
        <translation>เลือกประเภทบุคลากร</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The office already has as many slots as it may ({max})</source>
        <translation>สำนักงานมีตำแหน่งครบจำนวนที่มีได้แล้ว ({max})</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This slot no longer exists</source>
        <translation>ไม่มีตำแหน่งนี้แล้ว</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Someone holds this slot: appoint them to another slot first</source>
        <translation>ตำแหน่งนี้มีผู้ครองอยู่: แต่งตั้งผู้นั้นไปตำแหน่งอื่นก่อน</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A slot is filled only by an approved appointment</source>
        <translation>ตำแหน่งจะมีผู้ครองได้จากการแต่งตั้งที่อนุมัติแล้วเท่านั้น</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The plan&apos;s first year must be from {min} to {max} (Buddhist era)</source>
        <translation>ปีแรกของแผนต้องอยู่ระหว่าง {min} ถึง {max} (พ.ศ.)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Each year&apos;s count must be from 0 to {max}</source>
        <translation>จำนวนแต่ละปีต้องอยู่ระหว่าง 0 ถึง {max}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Only the organization admin may change the office&apos;s structure</source>
        <translation>เฉพาะผู้ดูแลสำนักงานเท่านั้นที่แก้ไขโครงสร้างได้</translation>
    </message>
</context>
<context>
    <name>OneTimePasswordDialog</name>
    <message>
        <location filename="../../ui/office/one_time.py" line="+65"/>
        <source>LocalHR Desk: one-time password</source>
        <translation>LocalHR Desk: รหัสผ่านใช้ครั้งเดียว</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>One-time password of %1</source>
        <translation>รหัสผ่านใช้ครั้งเดียวของ %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Give this password to %1 in person. It works for one login only: they must choose their own password at once, on a PC connected to the central.</source>
        <translation>มอบรหัสผ่านนี้ให้ %1 ด้วยตนเอง ใช้เข้าระบบได้ครั้งเดียว และผู้ใช้ต้องตั้งรหัสผ่านของตนเองทันทีบนเครื่องที่ติดต่อศูนย์กลางได้</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>It will not be shown again. If it is lost, reset the password once more.</source>
        <translation>รหัสนี้จะไม่แสดงอีก หากทำหาย ให้ตั้งรหัสผ่านใหม่อีกครั้ง</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Copy</source>
        <translation>คัดลอก (&amp;C)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copied. Clear the clipboard once you have passed it on.</source>
        <translation>คัดลอกแล้ว เมื่อมอบให้ผู้ใช้แล้วโปรดล้างคลิปบอร์ด</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>I have &amp;noted it</source>
        <translation>จดไว้แล้ว (&amp;N)</translation>
    </message>
</context>
<context>
    <name>OverviewPage</name>
    <message>
        <location filename="../../ui/office/overview.py" line="+107"/>
        <source>Vacancies</source>
        <translation>ตำแหน่งว่าง</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The three-year staffing plan</source>
        <translation>แผนอัตรากำลัง 3 ปี</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add a line…</source>
        <translation>เพิ่มรายการ…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit…</source>
        <translation>แก้ไข…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete…</source>
        <translation>ลบ…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Plan %1</source>
        <translation>แผน %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Plan year %1</source>
        <translation>แผนปีที่ %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+5"/>
        <location line="+6"/>
        <source>Unit</source>
        <translation>หน่วยงาน</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>Framework</source>
        <translation>กรอบ</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Filled</source>
        <translation>มีผู้ครอง</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Vacant</source>
        <translation>ว่าง</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Frozen</source>
        <translation>ตรึงไว้</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Position number</source>
        <translation>ตำแหน่งเลขที่</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+5"/>
        <source>Title</source>
        <translation>ชื่อตำแหน่ง</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>Levels</source>
        <translation>ระดับ</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>From (BE)</source>
        <translation>เริ่ม (พ.ศ.)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Type</source>
        <translation>ประเภท</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Level</source>
        <translation>ระดับ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Note</source>
        <translation>หมายเหตุ</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Year %1</source>
        <translation>ปีที่ %1</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>(no unit)</source>
        <translation>(ไม่ระบุหน่วยงาน)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Framework %1 · filled %2 · vacant %3 · frozen %4</source>
        <translation>กรอบ %1 · มีผู้ครอง %2 · ว่าง %3 · ตรึงไว้ %4</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>(whole office)</source>
        <translation>(ทั้งสำนักงาน)</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Saved: %1</source>
        <translation>บันทึกแล้ว: %1</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Delete the line</source>
        <translation>ลบรายการ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete the plan&apos;s line “%1”?</source>
        <translation>ลบรายการ “%1” ออกจากแผนหรือไม่?</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Delete</source>
        <translation>ลบ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keep it</source>
        <translation>ไม่ใช่</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Deleted: %1</source>
        <translation>ลบแล้ว: %1</translation>
    </message>
</context>
<context>
    <name>PeopleList</name>
    <message>
        <location filename="../../ui/people_list.py" line="+236"/>
        <source>All categories</source>
        <extracomment>Filters in the order they stand, each with the reference list its choices come from (None: the choices are read from the database or fixed here).</extracomment>
        <translation>ทุกประเภทบุคลากร</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All position types</source>
        <translation>ทุกประเภทตำแหน่ง</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All levels</source>
        <translation>ทุกระดับ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All units</source>
        <translation>ทุกสำนัก/กอง</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Any employment status</source>
        <translation>ทุกสถานะการทำงาน</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>With or without submissions</source>
        <translation>มีหรือไม่มีเรื่องที่เสนอ</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>People with a submission in this state</source>
        <translation>บุคคลที่มีเรื่องที่เสนออยู่ในสถานะนี้</translation>
    </message>
    <message numerus="yes">
        <location line="+19"/>
        <source>%Ln people</source>
        <translation>
            <numerusform>%Ln คน</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1+ people, counting…</source>
        <translation>%1+ คน กำลังนับ…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Could not read the register</source>
        <translation>อ่านทะเบียนประวัติไม่ได้</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>Columns</source>
        <translation>คอลัมน์</translation>
    </message>
    <message>
        <location line="+87"/>
        <source>Search: name, citizen ID or position number (Ctrl+F)</source>
        <translation>ค้นหา: ชื่อ เลขประจำตัวประชาชน หรือตำแหน่งเลขที่ (Ctrl+F)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Clear filters</source>
        <translation>ล้างตัวกรอง</translation>
    </message>
</context>
<context>
    <name>PeopleModel</name>
    <message>
        <location filename="../../ui/people_model.py" line="+58"/>
        <source>Name</source>
        <extracomment>Lines fetched at a time; the first block of a search comes with its keys. Blocks kept in memory (the view shows a few dozen lines of them). What an unfetched line shows in its first column until its block arrives.</extracomment>
        <translation>ชื่อ-สกุล</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unit</source>
        <translation>สำนัก/กอง</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Submission</source>
        <translation>เรื่องที่เสนอ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Click to order the list by this column, again to reverse the order</source>
        <translation>คลิกเพื่อเรียงรายชื่อตามคอลัมน์นี้ คลิกอีกครั้งเพื่อเรียงกลับด้าน</translation>
    </message>
</context>
<context>
    <name>PersonEditor</name>
    <message>
        <location filename="../../ui/person_editor.py" line="+125"/>
        <source>Personal data</source>
        <extracomment>How long typing must pause before the draft is saved. After a save that failed for a reason other than the input (a locked or full disk). Saves tried, one after the other, to store the draft before an unhandled error is shown. The record as stored after each save, submit or withdraw (a DraftDetail). Words for a tab or window title: the person&apos;s name, or &quot;New person&quot;. The clerk asked to close the editor (Ctrl+W); the host flushes and removes it.</extracomment>
        <translation>ข้อมูลส่วนตัว</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Current position</source>
        <translation>ตำแหน่งปัจจุบัน</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Opening…</source>
        <translation>กำลังเปิด…</translation>
    </message>
    <message>
        <location line="+86"/>
        <source>Read only: the database could not be upgraded, so nothing can be changed.</source>
        <translation>อ่านอย่างเดียว: ปรับรุ่นฐานข้อมูลไม่สำเร็จ จึงแก้ไขสิ่งใดไม่ได้</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Changes are saved as you type.</source>
        <translation>ระบบบันทึกให้อัตโนมัติขณะพิมพ์</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Read only: this submission can no longer change.</source>
        <translation>อ่านอย่างเดียว: เรื่องนี้แก้ไขไม่ได้แล้ว</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>official record</source>
        <translation>ข้อมูลทางการ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Updated from elsewhere: %1</source>
        <translation>ปรับตามข้อมูลล่าสุดแล้ว: %1</translation>
    </message>
    <message>
        <location line="+89"/>
        <source>Editing…</source>
        <translation>กำลังแก้ไข…</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Saving…</source>
        <translation>กำลังบันทึก…</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Saved at %1</source>
        <translation>บันทึกแล้วเมื่อ %1</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Not saved: %1</source>
        <translation>ยังไม่ได้บันทึก: %1</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Sending for approval…</source>
        <translation>กำลังส่งขออนุมัติ…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Not sent: fix %1 first.</source>
        <translation>ยังไม่ได้ส่ง: แก้ %1 ก่อน</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Sent for approval.</source>
        <translation>ส่งขออนุมัติแล้ว</translation>
    </message>
    <message numerus="yes">
        <location line="+8"/>
        <source>Not sent: %n field(s) to fix.</source>
        <translation>
            <numerusform>ยังไม่ได้ส่ง: ต้องแก้ไข %n ช่อง</numerusform>
        </translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Withdraw</source>
        <translation>ถอนเรื่อง</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Withdraw this submission? It ends here and changes nothing.</source>
        <translation>ถอนเรื่องนี้หรือไม่ เรื่องจะสิ้นสุดลงและข้อมูลในทะเบียนไม่เปลี่ยนแปลง</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Withdrawn.</source>
        <translation>ถอนเรื่องแล้ว</translation>
    </message>
</context>
<context>
    <name>PersonHistory</name>
    <message>
        <location filename="../../ui/person_history.py" line="-109"/>
        <source>When</source>
        <extracomment>The title changed (the person&apos;s name was read): the tab shows :meth:`title`.</extracomment>
        <translation>เมื่อ</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>What</source>
        <translation>เรื่อง</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Who</source>
        <translation>ผู้ทำ</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Details</source>
        <translation>รายละเอียด</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>History</source>
        <translation>ประวัติ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>History · %1</source>
        <translation>ประวัติ · %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reading…</source>
        <translation>กำลังอ่าน…</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Nothing has been proposed about this person yet.</source>
        <translation>ยังไม่มีการเสนอเรื่องใดเกี่ยวกับบุคคลนี้</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 events, oldest first</source>
        <translation>%1 รายการ เรียงจากเก่าไปใหม่</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Only the time of the latest sending is kept: this one was made before the return that answered it.</source>
        <translation>ระบบบันทึกเวลาไว้เฉพาะการส่งครั้งล่าสุด: ครั้งนี้ส่งก่อนที่ผู้อนุมัติจะส่งกลับ ตามเวลาที่แสดง</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>before %1</source>
        <translation>ก่อน %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Sent for approval again (time %1)</source>
        <translation>ส่งขออนุมัติอีกครั้ง (ครั้งที่ %1)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Proposed (%1)</source>
        <translation>เสนอ (%1)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sent for approval</source>
        <translation>ส่งขออนุมัติ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Returned</source>
        <translation>ส่งกลับแก้ไข</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approved</source>
        <translation>อนุมัติ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Withdrawn</source>
        <translation>ถอนเรื่อง</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Reason: %1</source>
        <translation>เหตุผล: %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>History rows: %1 added, %2 changed, %3 removed</source>
        <translation>ประวัติ: เพิ่ม %1 แก้ %2 ลบ %3 รายการ</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Conflicts settled by the supervisor: %1</source>
        <translation>ผู้อนุมัติเลือกค่าที่ขัดกัน %1 ช่อง</translation>
    </message>
</context>
<context>
    <name>PersonalTab</name>
    <message>
        <location filename="../../ui/person_tabs.py" line="+50"/>
        <source>Acting (ว่าที่) before the rank</source>
        <translation>มีคำว่า “ว่าที่” นำหน้ายศ</translation>
    </message>
</context>
<context>
    <name>PlanDialog</name>
    <message>
        <location filename="../../ui/office/plan_dialog.py" line="+54"/>
        <source>A new line of the staffing plan</source>
        <extracomment>The values to save: the plan line&apos;s fields, as PlanLineInput names them.</extracomment>
        <translation>รายการใหม่ของแผนอัตรากำลัง</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A line of the staffing plan</source>
        <translation>รายการของแผนอัตรากำลัง</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>(any type)</source>
        <translation>(ทุกประเภท)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>(the whole office)</source>
        <translation>(ทั้งสำนักงาน)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Save</source>
        <translation>บันทึก</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>ยกเลิก</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>First fiscal year (BE):</source>
        <translation>ปีงบประมาณแรก (พ.ศ.):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Position title:</source>
        <translation>ชื่อตำแหน่ง:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Position type:</source>
        <translation>ประเภทตำแหน่ง:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Level:</source>
        <translation>ระดับ:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unit:</source>
        <translation>หน่วยงาน:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approved count:</source>
        <translation>จำนวนที่อนุมัติ:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Note:</source>
        <translation>หมายเหตุ:</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>(any level)</source>
        <translation>(ทุกระดับ)</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Type the position&apos;s title</source>
        <translation>พิมพ์ชื่อตำแหน่ง</translation>
    </message>
</context>
<context>
    <name>PositionTab</name>
    <message>
        <location filename="../../ui/person_tabs.py" line="+30"/>
        <source>vacant</source>
        <translation>ว่าง</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Choose the position type first</source>
        <translation>เลือกประเภทตำแหน่งก่อน</translation>
    </message>
</context>
<context>
    <name>ReadOnlyAuthenticator</name>
    <message>
        <location filename="../../ui/read_only.py" line="+63"/>
        <source>Checking your password…</source>
        <translation>กำลังตรวจสอบรหัสผ่าน…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>While the program is read only, only users who have logged in on this PC before can log in.</source>
        <translation>ขณะที่โปรแกรมเปิดแบบอ่านอย่างเดียว เฉพาะผู้ที่เคยเข้าสู่ระบบในเครื่องนี้แล้วเท่านั้นที่เข้าสู่ระบบได้</translation>
    </message>
</context>
<context>
    <name>ReadOnlyBanner</name>
    <message>
        <location filename="../../ui/upgrade_notice.py" line="+195"/>
        <source>Read only: the database could not be upgraded to this version.</source>
        <translation>อ่านอย่างเดียว: ปรับฐานข้อมูลให้เข้ากับโปรแกรมรุ่นนี้ไม่สำเร็จ</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>You can look up people and open their records, but you cannot edit, submit or sync until it is fixed.</source>
        <translation>คุณยังค้นหาบุคลากรและเปิดดูข้อมูลได้ แต่แก้ไข ส่งขออนุมัติ และซิงค์ไม่ได้จนกว่าจะแก้ไขปัญหาเสร็จ</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open the folder</source>
        <translation>เปิดโฟลเดอร์</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy the details</source>
        <translation>คัดลอกรายละเอียด</translation>
    </message>
</context>
<context>
    <name>RenameDialog</name>
    <message>
        <location filename="../../ui/office/devices.py" line="-152"/>
        <source>LocalHR Desk: rename a PC</source>
        <translation>LocalHR Desk: เปลี่ยนชื่อเครื่อง</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A &amp;new name for the PC “%1”:</source>
        <translation>ชื่อใหม่ของเครื่อง “%1” (&amp;N):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Rename</source>
        <translation>เปลี่ยนชื่อ (&amp;R)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>ยกเลิก</translation>
    </message>
</context>
<context>
    <name>ReviewQueue</name>
    <message>
        <location filename="../../ui/review_queue.py" line="+65"/>
        <source>Organization:</source>
        <extracomment>The supervisor asked to open this submission (its id) in a decision view. How many submissions wait (all of them, whatever the filters). Submissions were approved here (their ids): the register changed.</extracomment>
        <translation>หน่วยงาน:</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Conflicts only</source>
        <translation>เฉพาะที่มีข้อขัดแย้ง</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Submitted</source>
        <translation>วันที่ส่ง</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Waiting</source>
        <translation>รอมาแล้ว</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Person</source>
        <translation>บุคคล</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Citizen ID</source>
        <translation>เลขประจำตัวประชาชน</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Change</source>
        <translation>การเปลี่ยนแปลง</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Author</source>
        <translation>ผู้เสนอ</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Conflicts</source>
        <translation>ข้อขัดแย้ง</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Open (Enter)</source>
        <translation>เปิด (Enter)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approve selected…</source>
        <translation>อนุมัติรายการที่เลือก…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Unit:</source>
        <translation>หน่วยงาน:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Author:</source>
        <translation>ผู้เสนอ:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Submitted from:</source>
        <translation>ส่งตั้งแต่วันที่:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>to:</source>
        <translation>ถึง:</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Reading…</source>
        <translation>กำลังอ่าน…</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>All organizations</source>
        <translation>ทุกหน่วยงาน</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>All units</source>
        <translation>ทุกหน่วยงาน</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>All authors</source>
        <translation>ผู้เสนอทุกคน</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n submission(s) waiting</source>
        <translation>
            <numerusform>รออนุมัติ %n รายการ</numerusform>
        </translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Nothing waits for a decision.</source>
        <translation>ไม่มีรายการที่รอการพิจารณา</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Could not read the queue: %1</source>
        <translation>อ่านรายการที่รอพิจารณาไม่ได้: %1</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>today</source>
        <translation>วันนี้</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n วัน</numerusform>
        </translation>
    </message>
    <message>
        <location line="+15"/>
        <source>(you: not yours to decide)</source>
        <translation>(ของคุณเอง: คุณอนุมัติเองไม่ได้)</translation>
    </message>
    <message numerus="yes">
        <location line="+15"/>
        <source>%n field(s) in conflict</source>
        <translation>
            <numerusform>ข้อขัดแย้ง %n ช่อง</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n field(s) also in another waiting</source>
        <translation>
            <numerusform>ซ้ำกับเรื่องที่รออยู่ %n ช่อง</numerusform>
        </translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The official record changed since the clerk&apos;s edit:</source>
        <translation>ข้อมูลทางการเปลี่ยนไปหลังเจ้าหน้าที่แก้ไข:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Another submission waiting about this person changes the same (approving one puts the other in conflict):</source>
        <translation>มีอีกเรื่องของบุคคลนี้ที่รอพิจารณาและแก้ไขสิ่งเดียวกัน (อนุมัติเรื่องหนึ่งแล้ว อีกเรื่องจะขัดแย้ง):</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>the official record changed the same field: a conflict to settle</source>
        <translation>ทะเบียนจริงเปลี่ยนช่องเดียวกันไปแล้ว ต้องเลือกค่าที่ขัดกันก่อน</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>your own submission: another supervisor decides it</source>
        <translation>เป็นรายการที่คุณเสนอเอง ผู้อนุมัติคนอื่นต้องเป็นผู้พิจารณา</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Approve several submissions</source>
        <translation>อนุมัติหลายรายการ</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Approve these %n submission(s)?</source>
        <translation>
            <numerusform>อนุมัติ %n รายการต่อไปนี้หรือไม่</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Approve</source>
        <translation>อนุมัติ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>ยกเลิก</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>None of the selected submissions can be approved at once.</source>
        <translation>ไม่มีรายการที่เลือกใดอนุมัติพร้อมกันได้</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Close</source>
        <translation>ปิด</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Left out (open each one to decide):</source>
        <translation>ไม่รวมรายการต่อไปนี้ (เปิดทีละรายการเพื่อพิจารณา):</translation>
    </message>
    <message numerus="yes">
        <location line="+20"/>
        <source>Approved %n submission(s).</source>
        <translation>
            <numerusform>อนุมัติแล้ว %n รายการ</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n left for a decision.</source>
        <translation>
            <numerusform>เหลือ %n รายการให้พิจารณาทีละรายการ</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Sections</name>
    <message>
        <location filename="../../ui/editor_frame.py" line="-103"/>
        <source>Sections</source>
        <translation>หมวดข้อมูล</translation>
    </message>
</context>
<context>
    <name>SessionMenu</name>
    <message>
        <location filename="../../ui/session.py" line="+75"/>
        <source>clerk</source>
        <translation>เจ้าหน้าที่</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>supervisor</source>
        <translation>ผู้บังคับบัญชา</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>organization admin</source>
        <translation>ผู้ดูแลองค์กร</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>auditor</source>
        <translation>ผู้ตรวจสอบ</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Lock</source>
        <translation>ล็อกหน้าจอ (&amp;L)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>S&amp;witch user…</source>
        <translation>เปลี่ยนผู้ใช้… (&amp;W)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Change &amp;password…</source>
        <translation>เปลี่ยนรหัสผ่าน… (&amp;P)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Changes the central did not &amp;accept…</source>
        <translation>รายการที่ศูนย์กลางไม่รับ… (&amp;A)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Settings…</source>
        <translation>ตั้งค่า… (&amp;S)</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../ui/settings_dialog.py" line="+100"/>
        <source>Settings</source>
        <translation>ตั้งค่า</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Central &amp;address</source>
        <translation>ที่อยู่ศูนย์กลาง (&amp;A)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>C&amp;ertificate file</source>
        <translation>ไฟล์ใบรับรอง (&amp;E)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>S&amp;ync every</source>
        <translation>ซิงค์ทุก (&amp;Y)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Lock when unused for</source>
        <translation>ล็อกหน้าจอเมื่อไม่ได้ใช้งาน (&amp;L)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lan&amp;guage</source>
        <translation>ภาษา (&amp;G)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Font size</source>
        <translation>ขนาดตัวอักษร (&amp;F)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The demo&apos;s central runs inside this program.</source>
        <translation>ศูนย์กลางของระบบทดลองทำงานอยู่ภายในโปรแกรมนี้</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Change the address only when your central has moved: this PC&apos;s credential goes with it.</source>
        <translation>เปลี่ยนที่อยู่เฉพาะเมื่อศูนย์กลางย้ายที่อยู่ ข้อมูลรับรองของเครื่องจะย้ายตามไปด้วย</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the system&apos;s certificates</source>
        <translation>ใช้ใบรับรองของระบบ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Browse…</source>
        <translation>เลือกไฟล์… (&amp;B)</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source> minutes</source>
        <translation> นาที</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> pt</source>
        <translation> พอยต์</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Save</source>
        <translation>บันทึก (&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>ยกเลิก</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>CA certificates</source>
        <translation>ใบรับรอง CA</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Certificates (*.pem *.crt *.cer)</source>
        <translation>ใบรับรอง (*.pem *.crt *.cer)</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>The central&apos;s address must start with https:// (plain http:// only for a central on this same computer).</source>
        <translation>ที่อยู่ของศูนย์กลางต้องขึ้นต้นด้วย https:// (ใช้ http:// ได้เฉพาะศูนย์กลางที่อยู่ในเครื่องนี้)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The certificate file %1 does not exist.</source>
        <translation>ไม่พบไฟล์ใบรับรอง %1</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <location filename="../../ui/office/setup.py" line="+96"/>
        <source>Setting up the office</source>
        <extracomment>The steps, in order, as ``Settings.office_setup`` names them. A page of the wizard wrote something (as :attr:`LocalPage.changed`).</extracomment>
        <translation>ตั้งค่าสำนักงาน</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Skip for now</source>
        <translation>ข้ามไปก่อน</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next &gt;</source>
        <translation>ถัดไป &gt;</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt; Back</source>
        <translation>&lt; ย้อนกลับ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Done</source>
        <translation>เสร็จสิ้น</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close</source>
        <translation>ปิด</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>1. The office&apos;s units</source>
        <translation>1. หน่วยงานของสำนักงาน</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>2. Position slots</source>
        <translation>2. กรอบอัตรากำลัง (ตำแหน่ง)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>3. Accounts</source>
        <translation>3. บัญชีผู้ใช้</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Add the office&apos;s units as they are: สำนักปลัด, กองคลัง, กองช่าง… and the ส่วน and ฝ่าย under them. Every change reaches the central at the next sync.</source>
        <translation>เพิ่มหน่วยงานของสำนักงานตามที่เป็นอยู่: สำนักปลัด กองคลัง กองช่าง… และส่วนหรือฝ่ายภายใต้ ทุกการเปลี่ยนแปลงจะส่งถึงศูนย์กลางเมื่อซิงก์ครั้งถัดไป</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Add the position slots of the framework (กรอบอัตรากำลัง): each with its position number, title, type and levels, and its unit. The clerks&apos; position picker offers the vacant ones.</source>
        <translation>เพิ่มตำแหน่งตามกรอบอัตรากำลัง: แต่ละตำแหน่งมีตำแหน่งเลขที่ ชื่อตำแหน่ง ประเภทและระดับ และหน่วยงาน เจ้าหน้าที่จะเลือกตำแหน่งที่ว่างได้เมื่อบันทึกประวัติ</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Add the people who work with the program: clerks, supervisors and auditors, each with a one-time password.</source>
        <translation>เพิ่มผู้ที่ใช้โปรแกรม: เจ้าหน้าที่ ผู้อนุมัติ และผู้ตรวจสอบ แต่ละคนได้รหัสผ่านใช้ครั้งเดียว</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Accounts are made on the Accounts page of the Office area (ผู้ดูแลสำนักงาน → บัญชีผู้ใช้), once the set-up is closed.</source>
        <translation>เพิ่มบัญชีผู้ใช้ได้ที่หน้า “บัญชีผู้ใช้” ในแท็บผู้ดูแลสำนักงาน (ผู้ดูแลสำนักงาน → บัญชีผู้ใช้) เมื่อปิดการตั้งค่านี้แล้ว</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>So far: %1 units · %2 slots · %3 accounts</source>
        <translation>ตอนนี้มี: หน่วยงาน %1 · ตำแหน่ง %2 · บัญชีผู้ใช้ %3</translation>
    </message>
</context>
<context>
    <name>SingleInstance</name>
    <message>
        <location filename="../../ui/single_instance.py" line="+67"/>
        <source>Use the window that is open: it may be behind other windows or minimized on the taskbar. Only one copy of the program can use the data at a time, so this one closes now.</source>
        <translation>ให้ใช้หน้าต่างที่เปิดอยู่ ซึ่งอาจซ่อนอยู่หลังหน้าต่างอื่นหรือย่อไว้ที่แถบงาน (taskbar) ข้อมูลชุดหนึ่งเปิดได้ครั้งละหนึ่งโปรแกรมเท่านั้น โปรแกรมที่เพิ่งเปิดนี้จึงปิดลง</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>If you cannot find it, wait a minute and start the program again, or restart the PC.</source>
        <translation>หากหาไม่พบ ให้รอสักครู่แล้วเปิดโปรแกรมอีกครั้ง หรือเริ่มระบบเครื่องใหม่ (restart)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The data folder: %1</source>
        <translation>โฟลเดอร์ข้อมูล: %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>LocalHR Desk is already open on this PC.</source>
        <translation>LocalHR Desk เปิดอยู่แล้วบนเครื่องนี้</translation>
    </message>
</context>
<context>
    <name>SlotDialog</name>
    <message>
        <location filename="../../ui/office/slot_dialog.py" line="+56"/>
        <source>A new position slot</source>
        <extracomment>The slot&apos;s editable fields, as SlotInput names them. The values to save (a dict of :data:`FIELDS`).</extracomment>
        <translation>ตำแหน่งใหม่</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Position slot %1</source>
        <translation>ตำแหน่งเลขที่ %1</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>(no unit)</source>
        <translation>(ไม่ระบุหน่วยงาน)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Save</source>
        <translation>บันทึก</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>ยกเลิก</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>to</source>
        <translation>ถึง</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Position number:</source>
        <translation>ตำแหน่งเลขที่:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Title:</source>
        <translation>ชื่อตำแหน่ง:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Job line code:</source>
        <translation>รหัสสายงาน:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Position type:</source>
        <translation>ประเภทตำแหน่ง:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Levels from:</source>
        <translation>ระดับตั้งแต่:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Staff type:</source>
        <translation>ประเภทบุคลากร:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unit:</source>
        <translation>หน่วยงาน:</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Type the position number</source>
        <translation>พิมพ์ตำแหน่งเลขที่</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Type the position&apos;s title</source>
        <translation>พิมพ์ชื่อตำแหน่ง</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A job line code has four digits</source>
        <translation>รหัสสายงานมี 4 หลัก</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The lowest level comes after the highest</source>
        <translation>ระดับต่ำสุดสูงกว่าระดับสูงสุด</translation>
    </message>
</context>
<context>
    <name>SlotsModel</name>
    <message>
        <location filename="../../ui/office/slots_model.py" line="+46"/>
        <source>Position number</source>
        <extracomment>Background of the state cell, by state.</extracomment>
        <translation>ตำแหน่งเลขที่</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Title</source>
        <translation>ชื่อตำแหน่ง</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Unit</source>
        <translation>หน่วยงาน</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>State</source>
        <translation>สถานะ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Holder</source>
        <translation>ผู้ครองตำแหน่ง</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Position type</source>
        <translation>ประเภทตำแหน่ง</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Levels</source>
        <translation>ระดับ</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Staff type</source>
        <translation>ประเภทบุคลากร</translation>
    </message>
</context>
<context>
    <name>SlotsPage</name>
    <message>
        <location filename="../../ui/office/slots.py" line="+128"/>
        <source>Unit:</source>
        <extracomment>The widest a column is made to fit its contents (the admin can widen it). How many rows the column widths are measured on (an office may have thousands). Which states each button leads to, and from which states.</extracomment>
        <translation>หน่วยงาน:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State:</source>
        <translation>สถานะ:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Find:</source>
        <translation>ค้นหา:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>position number or title</source>
        <translation>ตำแหน่งเลขที่หรือชื่อตำแหน่ง</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>All states</source>
        <translation>ทุกสถานะ</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Add a slot…</source>
        <translation>เพิ่มตำแหน่ง…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit…</source>
        <translation>แก้ไข…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Freeze</source>
        <translation>ตรึงไว้</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cut</source>
        <translation>ยุบเลิก</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reopen (vacant)</source>
        <translation>เปิดใหม่ (ว่าง)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>All units</source>
        <translation>ทุกหน่วยงาน</translation>
    </message>
    <message numerus="yes">
        <location line="+25"/>
        <source>%n slot(s)</source>
        <translation>
            <numerusform>%n ตำแหน่ง</numerusform>
        </translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Saved: %1</source>
        <translation>บันทึกแล้ว: %1</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>%1 is now: %2</source>
        <translation>%1 เปลี่ยนเป็น: %2</translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <location filename="../../ui/startup.py" line="+402"/>
        <source>LocalHR Desk (read only): %1</source>
        <extracomment>The main window shown for a session (a new one after a switch of user). The user quit (from a login, first-run or lock screen).</extracomment>
        <translation>LocalHR Desk (อ่านอย่างเดียว): %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>LocalHR Desk (demo): %1</source>
        <translation>LocalHR Desk (ระบบทดลอง): %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>LocalHR Desk: %1</source>
        <translation>LocalHR Desk: %1</translation>
    </message>
    <message>
        <location line="+112"/>
        <source>This computer&apos;s secure password store cannot be used, so this PC cannot talk to the central: users who have logged in here before can still log in and work offline, and their work is sent once IT staff fix the password store (the details are in the program&apos;s log). To try the program meanwhile, run the demo (localhr demo).</source>
        <translation>ใช้ที่เก็บรหัสผ่านที่ปลอดภัยของคอมพิวเตอร์เครื่องนี้ไม่ได้ เครื่องนี้จึงติดต่อศูนย์กลางไม่ได้ ผู้ที่เคยเข้าใช้เครื่องนี้แล้วยังเข้าสู่ระบบและทำงานแบบออฟไลน์ได้ และงานจะถูกส่งเมื่อเจ้าหน้าที่ไอทีแก้ไขที่เก็บรหัสผ่านแล้ว (รายละเอียดอยู่ในบันทึกการทำงานของโปรแกรม) หากต้องการทดลองใช้ระหว่างนี้ ให้เปิดระบบทดลอง (localhr demo)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>admin</source>
        <translation>ผู้ดูแลระบบ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>clerk</source>
        <translation>เจ้าหน้าที่</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>supervisor</source>
        <translation>ผู้บังคับบัญชา</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>A demo office. Its accounts (username, password):</source>
        <translation>หน่วยงานทดลอง บัญชีผู้ใช้ (ชื่อผู้ใช้ รหัสผ่าน):</translation>
    </message>
</context>
<context>
    <name>StructurePage</name>
    <message>
        <location filename="../../ui/office/structure.py" line="+189"/>
        <source>Unit</source>
        <translation>หน่วยงาน</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Kind</source>
        <translation>ประเภท</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>People</source>
        <translation>บุคลากร</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Open slots</source>
        <translation>ตำแหน่งที่เปิด</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add a top unit…</source>
        <translation>เพิ่มหน่วยงานหลัก…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add under the selected…</source>
        <translation>เพิ่มหน่วยงานย่อย…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rename…</source>
        <translation>เปลี่ยนชื่อ…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Move…</source>
        <translation>ย้าย…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close the unit…</source>
        <translation>ปิดหน่วยงาน…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show closed units</source>
        <translation>แสดงหน่วยงานที่ปิดแล้ว</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The office has no units yet: add its first with “Add a top unit”.</source>
        <translation>สำนักงานยังไม่มีหน่วยงาน: เพิ่มหน่วยงานแรกด้วยปุ่ม “เพิ่มหน่วยงานหลัก”</translation>
    </message>
    <message>
        <location line="+24"/>
        <source> (closed)</source>
        <translation> (ปิดแล้ว)</translation>
    </message>
    <message>
        <location line="+70"/>
        <source>A new unit</source>
        <translation>หน่วยงานใหม่</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Rename the unit</source>
        <translation>เปลี่ยนชื่อหน่วยงาน</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Move the unit</source>
        <translation>ย้ายหน่วยงาน</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Saved: %1</source>
        <translation>บันทึกแล้ว: %1</translation>
    </message>
    <message>
        <location line="+15"/>
        <location line="+7"/>
        <source>Close the unit</source>
        <translation>ปิดหน่วยงาน</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>Close “%1”? It stays in the records of the past, and takes no one new.</source>
        <translation>ปิด “%1” หรือไม่? หน่วยงานยังอยู่ในประวัติเดิม แต่รับตำแหน่งใหม่ไม่ได้อีก</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Keep it</source>
        <translation>ไม่ใช่</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>“%1” cannot be closed: it still has %2 people, %3 open slots and %4 open units under it. Move them to another unit first; nothing was changed.</source>
        <translation>ปิด “%1” ไม่ได้: ยังมีบุคลากร %2 คน ตำแหน่งที่ยังเปิดอยู่ %3 ตำแหน่ง และหน่วยงานย่อยที่ยังเปิดอยู่ %4 หน่วย ย้ายไปหน่วยงานอื่นก่อน (ยังไม่มีอะไรเปลี่ยนแปลง)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Closed: %1</source>
        <translation>ปิดแล้ว: %1</translation>
    </message>
</context>
<context>
    <name>SupervisorScreens</name>
    <message>
        <location filename="../../ui/supervisor_screens.py" line="+38"/>
        <source>&amp;Review queue</source>
        <translation>รายการ&amp;รออนุมัติ</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Review queue (%1)</source>
        <translation>รออนุมัติ (%1)</translation>
    </message>
</context>
<context>
    <name>SyncStatus</name>
    <message>
        <location filename="../../ui/sync_status.py" line="+104"/>
        <source>no connection</source>
        <translation>ไม่มีการเชื่อมต่อ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The central cannot be reached. Your work is kept on this PC and is sent by itself when the connection is back.</source>
        <translation>ติดต่อศูนย์กลางไม่ได้ งานของคุณเก็บไว้ในเครื่องนี้ และจะส่งให้เองเมื่อเชื่อมต่อได้อีกครั้ง</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>the central does not answer</source>
        <translation>ศูนย์กลางไม่ตอบสนอง</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The central did not answer in time. Your work is kept on this PC and is sent by itself when the central answers again.</source>
        <translation>ศูนย์กลางไม่ตอบกลับภายในเวลาที่กำหนด งานของคุณเก็บไว้ในเครื่องนี้ และจะส่งให้เองเมื่อศูนย์กลางตอบกลับได้อีกครั้ง</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>connection lost</source>
        <translation>การเชื่อมต่อขาดหาย</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The connection broke during the sync. Nothing is lost: the sync goes on where it stopped when the connection is back.</source>
        <translation>การเชื่อมต่อขาดระหว่างซิงค์ ข้อมูลไม่สูญหาย เมื่อเชื่อมต่อได้อีกครั้งจะซิงค์ต่อจากจุดที่ค้างไว้</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>the central&apos;s certificate is not trusted</source>
        <translation>ใบรับรองของศูนย์กลางไม่น่าเชื่อถือ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The central&apos;s security certificate could not be verified, so nothing was sent. Ask your IT staff to check the central&apos;s address.</source>
        <translation>ตรวจสอบใบรับรองความปลอดภัยของศูนย์กลางไม่ผ่าน จึงยังไม่ได้ส่งข้อมูลใด ๆ โปรดให้เจ้าหน้าที่ไอทีตรวจสอบที่อยู่ของศูนย์กลาง</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>update the program</source>
        <translation>ต้องอัปเดตโปรแกรม</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This version of LocalHR Desk is too old for the central. Please update the program; your work stays on this PC until then.</source>
        <translation>LocalHR Desk รุ่นนี้เก่าเกินกว่าที่ศูนย์กลางรองรับ โปรดอัปเดตโปรแกรม ระหว่างนี้งานของคุณยังเก็บอยู่ในเครื่องนี้</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>log in again</source>
        <translation>ต้องเข้าสู่ระบบใหม่</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Log in again while online so that your changes can be sent. They are kept on this PC until then.</source>
        <translation>โปรดเข้าสู่ระบบใหม่ขณะเชื่อมต่ออินเทอร์เน็ต เพื่อให้ส่งงานของคุณได้ ระหว่างนี้งานยังเก็บอยู่ในเครื่องนี้</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>this PC must be registered again</source>
        <translation>ต้องลงทะเบียนเครื่องนี้ใหม่</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The central no longer knows this PC. An organization admin must register it again; your work stays on this PC until then.</source>
        <translation>ศูนย์กลางไม่รู้จักเครื่องนี้แล้ว ผู้ดูแลระบบของหน่วยงานต้องลงทะเบียนเครื่องใหม่ ระหว่างนี้งานของคุณยังเก็บอยู่ในเครื่องนี้</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>not allowed</source>
        <translation>ไม่ได้รับอนุญาต</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The central refused: this account may not do this. Ask your admin.</source>
        <translation>ศูนย์กลางปฏิเสธ: บัญชีนี้ไม่มีสิทธิ์ทำรายการนี้ โปรดติดต่อผู้ดูแลระบบ</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the central has a problem</source>
        <translation>ศูนย์กลางขัดข้อง</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The central could not finish the sync. It is tried again later; your work is kept on this PC.</source>
        <translation>ศูนย์กลางซิงค์ไม่สำเร็จ โปรแกรมจะลองใหม่ภายหลัง งานของคุณเก็บไว้ในเครื่องนี้</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>the central refused the request</source>
        <translation>ศูนย์กลางปฏิเสธคำขอ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The central refused what this PC sent. It is tried again later; if this stays, tell your IT staff.</source>
        <translation>ศูนย์กลางปฏิเสธข้อมูลที่เครื่องนี้ส่งไป โปรแกรมจะลองใหม่ภายหลัง หากยังเป็นอยู่ โปรดแจ้งเจ้าหน้าที่ไอที</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>no password store</source>
        <translation>ไม่มีที่เก็บรหัสผ่าน</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This computer has no secure password store, so this PC&apos;s credentials cannot be read and nothing can be sent. Ask your IT staff to turn one on (for example Windows Credential Manager).</source>
        <translation>คอมพิวเตอร์เครื่องนี้ไม่มีที่เก็บรหัสผ่านที่ปลอดภัย จึงอ่านข้อมูลยืนยันตัวตนของเครื่องไม่ได้และส่งข้อมูลไม่ได้ โปรดให้เจ้าหน้าที่ไอทีเปิดใช้งาน (เช่น Windows Credential Manager)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>not connected to a central</source>
        <translation>ยังไม่ได้เชื่อมต่อศูนย์กลาง</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This PC is not connected to a central yet. Your work is kept on this PC.</source>
        <translation>เครื่องนี้ยังไม่ได้เชื่อมต่อกับศูนย์กลาง งานของคุณเก็บไว้ในเครื่องนี้</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>unexpected error</source>
        <translation>ข้อผิดพลาดที่ไม่คาดคิด</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The sync stopped on an unexpected error. It is tried again later; your work is kept on this PC.</source>
        <translation>การซิงค์หยุดเพราะข้อผิดพลาดที่ไม่คาดคิด โปรแกรมจะลองใหม่ภายหลัง งานของคุณเก็บไว้ในเครื่องนี้</translation>
    </message>
</context>
<context>
    <name>SyncStatusBar</name>
    <message>
        <location filename="../../ui/sync_status_bar.py" line="+229"/>
        <source>Changes saved on this PC that the central has not received yet</source>
        <translation>งานที่บันทึกในเครื่องนี้แต่ศูนย์กลางยังไม่ได้รับ</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Changes the central did not accept: see why and what to do</source>
        <translation>งานที่ศูนย์กลางไม่รับ: ดูสาเหตุและวิธีแก้ไข</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sync now</source>
        <translation>ซิงค์ตอนนี้</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Send your changes to the central and fetch new data now (%1)</source>
        <translation>ส่งงานไปยังศูนย์กลางและรับข้อมูลใหม่ทันที (%1)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Online</source>
        <translation>ออนไลน์</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Offline</source>
        <translation>ออฟไลน์</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sync failed</source>
        <translation>ซิงค์ไม่สำเร็จ</translation>
    </message>
    <message numerus="yes">
        <location line="-90"/>
        <source>%n to send</source>
        <extracomment>The least of the reason that is worth showing (in average characters) before the bar takes two lines. How often &quot;5 min ago&quot; is brought up to date while the bar is shown. The user clicked the count of items needing attention.</extracomment>
        <translation>
            <numerusform>รอส่ง %n รายการ</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>all sent</source>
        <translation>ไม่มีงานค้างส่ง</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n to check</source>
        <translation>
            <numerusform>ต้องตรวจสอบ %n รายการ</numerusform>
        </translation>
    </message>
    <message>
        <location line="+87"/>
        <source>Log in to send</source>
        <translation>ต้องเข้าสู่ระบบใหม่เพื่อส่งงาน</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No central</source>
        <translation>ยังไม่ได้เชื่อมต่อศูนย์กลาง</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Receiving…</source>
        <translation>กำลังรับข้อมูล…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sending…</source>
        <translation>กำลังส่งข้อมูล…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Waiting for: %1</source>
        <translation>รอผู้ใช้: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The program checks for the connection by itself.</source>
        <translation>โปรแกรมจะตรวจสอบการเชื่อมต่อให้เองเป็นระยะ</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Details: %1</source>
        <translation>รายละเอียด: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Log in again online: your changes wait to be sent.</source>
        <translation>เข้าสู่ระบบใหม่ขณะออนไลน์ งานของคุณรอส่งอยู่</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This PC is not connected to a central.</source>
        <translation>เครื่องนี้ยังไม่ได้เชื่อมต่อกับศูนย์กลาง</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connected to the central</source>
        <translation>เชื่อมต่อกับศูนย์กลางแล้ว</translation>
    </message>
    <message numerus="yes">
        <location line="-20"/>
        <source>%n row(s) received</source>
        <translation>
            <numerusform>รับแล้ว %n รายการ</numerusform>
        </translation>
    </message>
    <message>
        <location line="+36"/>
        <source>%1 of %2</source>
        <translation>%1/%2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Sent %1 of about %2, received %3</source>
        <translation>ส่งแล้ว %1 จากประมาณ %2 รับแล้ว %3</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Never synced</source>
        <translation>ยังไม่เคยซิงค์</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Synced %1</source>
        <translation>ซิงค์ล่าสุด %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The last sync that went well: %1</source>
        <translation>ซิงค์สำเร็จครั้งล่าสุด: %1</translation>
    </message>
    <message numerus="yes">
        <location line="+18"/>
        <source>%n min ago</source>
        <translation>
            <numerusform>%n นาทีที่แล้ว</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>today %1</source>
        <translation>วันนี้ %1 น.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>yesterday %1</source>
        <translation>เมื่อวาน %1 น.</translation>
    </message>
    <message>
        <location line="-20"/>
        <location line="+22"/>
        <source>%1 at %2</source>
        <translation>%1 เวลา %2 น.</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>just now</source>
        <translation>เมื่อสักครู่</translation>
    </message>
</context>
<context>
    <name>TaskRunner</name>
    <message>
        <location filename="../../ui/tasks.py" line="+387"/>
        <source>Something went wrong</source>
        <extracomment>How often the GUI reads a running task&apos;s progress. The longest a worker&apos;s Python code keeps the interpreter&apos;s lock from the GUI thread once it asks for it (``sys.setswitchinterval``). Every cell Qt paints calls into Python, so with Python&apos;s 5 ms a worker decoding a result held up each of those calls: measured with the personnel list of 100,000 people, keystroke to repaint p95 81 ms → 39 ms at 0.5 ms. A failure of a task that has no ``on_failure``; the main window shows it.</extracomment>
        <translation>เกิดข้อผิดพลาด</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A background task could not finish:
%1</source>
        <translation>งานเบื้องหลังทำไม่สำเร็จ:
%1</translation>
    </message>
</context>
<context>
    <name>Texts</name>
    <message>
        <location filename="../../ui/texts.py" line="+25"/>
        <source>Required</source>
        <translation>ต้องกรอก</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not a value of the list</source>
        <translation>ไม่มีในรายการ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This level does not belong to the position type</source>
        <translation>ระดับนี้ไม่ใช่ระดับของประเภทตำแหน่งที่เลือก</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A citizen ID has 13 digits</source>
        <translation>เลขประจำตัวประชาชนต้องมี 13 หลัก</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The last digit does not match: check the number against the card</source>
        <translation>เลขหลักสุดท้ายไม่ถูกต้อง โปรดตรวจเลขกับบัตรอีกครั้ง</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Starts with 0: check it against the card</source>
        <translation>ขึ้นต้นด้วย 0 โปรดตรวจกับบัตรอีกครั้ง</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The pasted number has {digits} digits, a citizen ID 13: nothing was pasted</source>
        <translation>ตัวเลขที่วางมี {digits} หลัก เลขประจำตัวประชาชนมี 13 หลัก จึงไม่ได้วาง</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>“Acting” goes with a rank, not with this prefix</source>
        <translation>“ว่าที่” ใช้นำหน้ายศเท่านั้น ไม่ใช้กับคำนำหน้านี้</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The prefix does not match the gender</source>
        <translation>คำนำหน้าไม่ตรงกับเพศ</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The date is in the future</source>
        <translation>วันที่อยู่ในอนาคต</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Must come after: {after}</source>
        <translation>ต้องอยู่หลัง{after}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Aged {age} at appointment, under {minimum}</source>
        <translation>อายุ {age} ปีเมื่อบรรจุ ต่ำกว่า {minimum} ปี</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Type it in Thai</source>
        <translation>กรอกเป็นภาษาไทย</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cannot be below zero</source>
        <translation>ต้องไม่ติดลบ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>At most {max} characters</source>
        <translation>ยาวได้ไม่เกิน {max} ตัวอักษร</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Must be from {min} to {max}</source>
        <translation>ต้องอยู่ระหว่าง {min} ถึง {max}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>At most {places} decimal places</source>
        <translation>ทศนิยมได้ไม่เกิน {places} ตำแหน่ง</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not a possible date here: check the year (Buddhist or Christian era?)</source>
        <translation>วันที่นี้เป็นไปไม่ได้: ตรวจสอบปี (พ.ศ. หรือ ค.ศ.)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>More days than the dates span ({span})</source>
        <translation>จำนวนวันมากกว่าช่วงวันที่ ({span} วัน)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not a date: type e.g. 31/1/2563 or 31 ม.ค. 2563</source>
        <translation>ไม่ใช่วันที่ พิมพ์เช่น 31/1/2563 หรือ 31 ม.ค. 2563</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not a valid value</source>
        <translation>ค่าไม่ถูกต้อง</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This field cannot be changed</source>
        <translation>ช่องนี้แก้ไขไม่ได้</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nothing is changed yet</source>
        <translation>ยังไม่มีการแก้ไขข้อมูล</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not possible in the submission&apos;s present state</source>
        <translation>ทำไม่ได้ในสถานะปัจจุบันของเรื่อง</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Only its author may do this</source>
        <translation>ผู้จัดทำเรื่องเท่านั้นที่ทำได้</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This person is not in the register</source>
        <translation>ไม่พบบุคคลนี้ในทะเบียน</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This submission does not exist</source>
        <translation>ไม่พบเรื่องนี้</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This belongs to another organization</source>
        <translation>ข้อมูลนี้เป็นของหน่วยงานอื่น</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your account may only read</source>
        <translation>บัญชีของคุณอ่านได้อย่างเดียว</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The program is read only because the database could not be upgraded: nothing can be saved</source>
        <translation>โปรแกรมเปิดแบบอ่านอย่างเดียว เพราะปรับรุ่นฐานข้อมูลไม่สำเร็จ จึงบันทึกสิ่งใดไม่ได้</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Your account is not known here</source>
        <translation>ไม่พบบัญชีของคุณในเครื่องนี้</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Your account is turned off</source>
        <translation>บัญชีของคุณถูกปิดใช้งาน</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your account may not do this</source>
        <translation>บัญชีของคุณทำรายการนี้ไม่ได้</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This unit is not a unit of the office</source>
        <translation>ไม่มีหน่วยงานนี้ในสำนักงาน</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This plan line does not exist</source>
        <translation>ไม่มีรายการนี้ในแผนอัตรากำลัง</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A unit needs a name</source>
        <translation>กรุณาระบุชื่อหน่วยงาน</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose the kind of unit</source>
        <translation>เลือกประเภทหน่วยงาน</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This unit belongs to another organization</source>
        <translation>หน่วยงานนี้เป็นของ อปท. อื่น</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The office has {max} units already</source>
        <translation>สำนักงานมีหน่วยงานครบ {max} หน่วยแล้ว</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This unit is closed</source>
        <translation>หน่วยงานนี้ปิดแล้ว</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A unit cannot be placed under itself or under a unit below it</source>
        <translation>วางหน่วยงานไว้ใต้ตัวเองหรือใต้หน่วยงานย่อยของตัวเองไม่ได้</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Units may be nested at most {max} deep</source>
        <translation>หน่วยงานซ้อนกันได้ไม่เกิน {max} ชั้น</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The unit cannot be closed: {people} people hold its slots, it has {slots} open slots and {units} open units under it. Move them first.</source>
        <translation>ปิดหน่วยงานนี้ไม่ได้: มีผู้ครองตำแหน่ง {people} คน ตำแหน่งที่เปิดอยู่ {slots} ตำแหน่ง และหน่วยงานย่อยที่เปิดอยู่ {units} หน่วย กรุณาย้ายออกก่อน</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This position slot belongs to another organization</source>
        <translation>ตำแหน่งนี้เป็นของ อปท. อื่น</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Type the position number</source>
        <translation>กรุณาระบุตำแหน่งเลขที่</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Position number {number} is already a slot of this office</source>
        <translation>ตำแหน่งเลขที่ {number} มีอยู่แล้วในสำนักงานนี้</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Type the position title</source>
        <translation>กรุณาระบุชื่อตำแหน่ง</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose the position type</source>
        <translation>เลือกประเภทตำแหน่ง</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not a level of this position type</source>
        <translation>ไม่ใช่ระดับของประเภทตำแหน่งนี้</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The lowest level is above the highest level</source>
        <translation>ระดับต่ำสุดสูงกว่าระดับสูงสุด</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose the staff type</source>
        <translation>เลือกประเภทบุคลากร</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The office has {max} slots already</source>
        <translation>สำนักงานมีตำแหน่งครบ {max} ตำแหน่งแล้ว</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A slot becomes filled only when an appointment to it is approved</source>
        <translation>ตำแหน่งจะมีผู้ครองได้ก็ต่อเมื่อการแต่งตั้งเข้าตำแหน่งนั้นได้รับอนุมัติเท่านั้น</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Someone holds this slot: appoint them to another slot first</source>
        <translation>ตำแหน่งนี้มีผู้ครองอยู่ ต้องแต่งตั้งผู้นั้นไปตำแหน่งอื่นก่อน</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This position slot does not exist</source>
        <translation>ไม่มีตำแหน่งนี้</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Position {number} is already filled: another appointment to it was approved first</source>
        <translation>ตำแหน่งเลขที่ {number} มีผู้ครองแล้ว เพราะการแต่งตั้งอีกรายการได้รับอนุมัติก่อน</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Position {number} is frozen</source>
        <translation>ตำแหน่งเลขที่ {number} ถูกตรึงไว้</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Position {number} has been cut</source>
        <translation>ตำแหน่งเลขที่ {number} ถูกยุบแล้ว</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Position {number} is for another staff type</source>
        <translation>ตำแหน่งเลขที่ {number} เป็นของบุคลากรประเภทอื่น</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The plan&apos;s first year must be from {min} to {max} (Buddhist era)</source>
        <translation>ปีแรกของแผนต้องอยู่ระหว่าง พ.ศ. {min} ถึง {max}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Each year&apos;s count must be a whole number from 0 to {max}</source>
        <translation>จำนวนของแต่ละปีต้องเป็นจำนวนเต็มตั้งแต่ 0 ถึง {max}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The plan has {max} lines already</source>
        <translation>แผนอัตรากำลังมีครบ {max} รายการแล้ว</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Citizen ID</source>
        <translation>เลขประจำตัวประชาชน</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Prefix</source>
        <translation>คำนำหน้าชื่อ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Acting rank</source>
        <translation>ว่าที่</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>First name (Thai)</source>
        <translation>ชื่อ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last name (Thai)</source>
        <translation>นามสกุล</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>First name (English)</source>
        <translation>ชื่อ (ภาษาอังกฤษ)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last name (English)</source>
        <translation>นามสกุล (ภาษาอังกฤษ)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Date of birth</source>
        <translation>วันเกิด</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gender</source>
        <translation>เพศ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Personnel category</source>
        <translation>ประเภทบุคลากร</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+12"/>
        <source>Position number</source>
        <translation>ตำแหน่งเลขที่</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>Position type</source>
        <translation>ประเภทตำแหน่ง</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Level</source>
        <translation>ระดับ</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+46"/>
        <source>Salary</source>
        <translation>เงินเดือน</translation>
    </message>
    <message>
        <location line="-45"/>
        <source>Salary step</source>
        <translation>ขั้น</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Appointment date</source>
        <translation>วันบรรจุ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Employment status</source>
        <translation>สถานะการทำงาน</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Retirement date</source>
        <translation>วันเกษียณอายุ</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Movement</source>
        <translation>ประเภทการเคลื่อนไหว</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Effective date</source>
        <translation>วันที่มีผล</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Position</source>
        <translation>ตำแหน่ง</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Organization</source>
        <translation>สังกัด</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Order number</source>
        <translation>คำสั่งเลขที่</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Order date</source>
        <translation>วันที่ของคำสั่ง</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Note</source>
        <translation>หมายเหตุ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Education level</source>
        <translation>ระดับการศึกษา</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Degree</source>
        <translation>วุฒิการศึกษา</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Major</source>
        <translation>สาขาวิชา</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Institution</source>
        <translation>สถานศึกษา</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Graduation date</source>
        <translation>วันที่สำเร็จการศึกษา</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Country</source>
        <translation>ประเทศ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Course</source>
        <translation>หลักสูตร</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Organizer</source>
        <translation>หน่วยงานผู้จัด</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>From</source>
        <translation>ตั้งแต่วันที่</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>To</source>
        <translation>ถึงวันที่</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hours</source>
        <translation>จำนวนชั่วโมง</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Decoration</source>
        <translation>ชั้นเครื่องราชฯ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Received on</source>
        <translation>วันที่ได้รับ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gazette volume</source>
        <translation>ราชกิจจานุเบกษา เล่ม</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gazette section</source>
        <translation>ตอน</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gazette page</source>
        <translation>หน้า</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gazette date</source>
        <translation>วันที่ประกาศ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Leave type</source>
        <translation>ประเภทการลา</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Days</source>
        <translation>จำนวนวัน</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Penalty</source>
        <translation>โทษ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Offence</source>
        <translation>กรณีความผิด</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Changed on</source>
        <translation>วันที่เปลี่ยน</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Former prefix</source>
        <translation>คำนำหน้าเดิม</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Former first name</source>
        <translation>ชื่อเดิม</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Former last name</source>
        <translation>นามสกุลเดิม</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New prefix</source>
        <translation>คำนำหน้าใหม่</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New first name</source>
        <translation>ชื่อใหม่</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New last name</source>
        <translation>นามสกุลใหม่</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Positions and movements</source>
        <translation>ตำแหน่งและการเคลื่อนไหว</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Education</source>
        <translation>การศึกษา</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Training</source>
        <translation>การฝึกอบรม</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Decorations</source>
        <translation>เครื่องราชอิสริยาภรณ์</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Leave</source>
        <translation>การลา</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Discipline</source>
        <translation>วินัย</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name changes</source>
        <translation>การเปลี่ยนชื่อ</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Draft</source>
        <translation>ฉบับร่าง</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Waiting for approval</source>
        <translation>รออนุมัติ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Returned for changes</source>
        <translation>ส่งกลับแก้ไข</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approved</source>
        <translation>อนุมัติแล้ว</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Withdrawn</source>
        <translation>ถอนแล้ว</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>New person</source>
        <translation>บุคคลใหม่</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Change of record</source>
        <translation>แก้ไขข้อมูล</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>End of service</source>
        <translation>พ้นจากตำแหน่ง</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Too many wrong passwords were typed for this account or from this office. The central refuses every try for %1 minute(s), the right password too. Wait, then try again; if the password is forgotten, ask the organization admin.</source>
        <translation>มีการพิมพ์รหัสผ่านผิดหลายครั้งเกินไปสำหรับบัญชีนี้หรือจากสำนักงานนี้ ศูนย์กลางจะไม่รับการเข้าสู่ระบบเป็นเวลา %1 นาที แม้รหัสผ่านจะถูกต้อง รอสักครู่แล้วลองใหม่ หากลืมรหัสผ่าน ให้ติดต่อผู้ดูแลองค์กร</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Acting %1</source>
        <translation>ว่าที่%1</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>History row</source>
        <translation>แถวประวัติ</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Official record: {value}</source>
        <translation>ในทะเบียน: {value}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>(empty)</source>
        <translation>(ว่าง)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Supervisor: {comment}</source>
        <translation>ผู้อนุมัติ: {comment}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Cannot be saved like this ({code})</source>
        <translation>บันทึกแบบนี้ไม่ได้ ({code})</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Unexpected error: {detail}</source>
        <translation>เกิดข้อผิดพลาดที่ไม่คาดคิด: {detail}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Yes</source>
        <translation>ใช่</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No</source>
        <translation>ไม่ใช่</translation>
    </message>
</context>
<context>
    <name>ThaiDateEdit</name>
    <message>
        <location filename="../../ui/thai_date_edit.py" line="+48"/>
        <source>e.g. 31/1/2563</source>
        <extracomment>The date changed by the clerk&apos;s hand (not emitted by :meth:`set_value`). What :meth:`local_issues` returns may have changed.</extracomment>
        <translation>เช่น 31/1/2563</translation>
    </message>
</context>
<context>
    <name>UnitDialog</name>
    <message>
        <location filename="../../ui/office/structure.py" line="-287"/>
        <source>(the organization itself)</source>
        <translation>(ขึ้นตรงกับสำนักงาน)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Save</source>
        <translation>บันทึก</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>ยกเลิก</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Name:</source>
        <translation>ชื่อ:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kind:</source>
        <translation>ประเภท:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Belongs to:</source>
        <translation>สังกัด:</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Type the unit&apos;s name</source>
        <translation>พิมพ์ชื่อหน่วยงาน</translation>
    </message>
</context>
<context>
    <name>UpgradeNotice</name>
    <message>
        <location filename="../../ui/upgrade_notice.py" line="-151"/>
        <source>LocalHR Desk</source>
        <extracomment>The log&apos;s folder in the data folder (app.logs writes ``localhr.log`` there).</extracomment>
        <translation>LocalHR Desk</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Close</source>
        <translation>ปิด</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>This version cannot open it without the risk of damaging it, so it has left it exactly as it was. Install the newer version again (ask your IT staff), then start the program.</source>
        <translation>โปรแกรมรุ่นนี้เปิดฐานข้อมูลนี้ไม่ได้โดยไม่เสี่ยงทำให้ข้อมูลเสียหาย จึงปล่อยไว้ตามเดิมทุกประการ โปรดติดตั้งโปรแกรมรุ่นใหม่กว่านั้นอีกครั้ง (ขอให้เจ้าหน้าที่ไอทีช่วย) แล้วจึงเปิดโปรแกรม</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The database: %1</source>
        <translation>ฐานข้อมูล: %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>This database was saved by a newer version of LocalHR Desk.</source>
        <translation>ฐานข้อมูลนี้บันทึกโดย LocalHR Desk รุ่นใหม่กว่ารุ่นนี้</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Your data is safe: the database was put back as it was before the upgrade, and a copy of it was kept. Send your IT staff the copy %1 and the log files in the folder %2, and do not delete them.</source>
        <translation>ข้อมูลของคุณปลอดภัย: โปรแกรมคืนฐานข้อมูลให้เป็นเหมือนก่อนการปรับรุ่นแล้ว และเก็บสำเนาไว้ โปรดส่งสำเนา %1 และไฟล์บันทึกการทำงาน (log) ในโฟลเดอร์ %2 ให้เจ้าหน้าที่ไอที และอย่าลบไฟล์เหล่านี้</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>The program closes now.</source>
        <translation>โปรแกรมจะปิดลงเดี๋ยวนี้</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The database could not be upgraded, and this version cannot show it as it was.</source>
        <translation>ปรับรุ่นฐานข้อมูลไม่สำเร็จ และโปรแกรมรุ่นนี้แสดงข้อมูลตามรูปแบบเดิมไม่ได้</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>The database could not be upgraded to this version, so the program is read only: you can log in and look up people, but not edit, submit or sync. Only users who have logged in on this PC before can log in.</source>
        <translation>ปรับฐานข้อมูลให้เข้ากับโปรแกรมรุ่นนี้ไม่สำเร็จ โปรแกรมจึงเปิดแบบอ่านอย่างเดียว: เข้าสู่ระบบและค้นหาบุคลากรได้ แต่แก้ไข ส่งขออนุมัติ และซิงค์ไม่ได้ เฉพาะผู้ที่เคยเข้าสู่ระบบในเครื่องนี้แล้วเท่านั้นที่เข้าสู่ระบบได้</translation>
    </message>
</context>
<context>
    <name>UpgradeProgress</name>
    <message>
        <location filename="../../ui/upgrade_progress.py" line="+70"/>
        <source>LocalHR Desk</source>
        <translation>LocalHR Desk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Upgrading the database…</source>
        <translation>กำลังปรับรุ่นฐานข้อมูล…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Upgrading it to this version. A copy of it is kept in %1.</source>
        <translation>กำลังปรับให้ใช้กับโปรแกรมรุ่นนี้ได้ สำรองไฟล์เดิมไว้แล้วที่ %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The upgrade did not succeed: putting the database back as it was, from the copy in %1.</source>
        <translation>ปรับรุ่นไม่สำเร็จ: กำลังคืนฐานข้อมูลให้เหมือนเดิมจากไฟล์สำรองที่ %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Making a copy of it first, in %1.</source>
        <translation>กำลังสำรองไฟล์ไว้ก่อนที่ %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>This may take a few minutes. Please do not turn off the PC meanwhile.</source>
        <translation>อาจใช้เวลาสักครู่ ระหว่างนี้กรุณาอย่าปิดเครื่อง</translation>
    </message>
</context>
<context>
    <name>WorkCounts</name>
    <message>
        <location filename="../../ui/work_counts.py" line="+120"/>
        <source>Could not count the work waiting</source>
        <extracomment>The user clicked the returned count (show My submissions) or the waiting one (the queue).</extracomment>
        <translation>นับงานที่รออยู่ไม่ได้</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Returned to you: %1</source>
        <translation>ส่งกลับให้แก้ไข %1 เรื่อง</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 to decide</source>
        <translation>รอพิจารณา %1 เรื่อง</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Submissions waiting for your decision: %1 (a click opens the queue)</source>
        <translation>เรื่องที่รอคุณพิจารณา %1 เรื่อง (คลิกเพื่อเปิดรายการรออนุมัติ)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 of your submissions came back for changes: see My submissions</source>
        <translation>มี %1 เรื่องที่ส่งกลับมาให้แก้ไข ดูที่เรื่องที่ฉันเสนอ</translation>
    </message>
</context>
</TS>
