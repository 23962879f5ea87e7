<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="th_TH">
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="+45"/>
        <source>LocalHR Desk</source>
        <translation>LocalHR Desk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search name, citizen ID, position…</source>
        <translation>ค้นหาชื่อ เลขประจำตัวประชาชน ตำแหน่ง…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Citizen ID</source>
        <translation>เลขประจำตัวประชาชน</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>ชื่อ-สกุล</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Position</source>
        <translation>ตำแหน่ง</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Level</source>
        <translation>ระดับ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Born</source>
        <translation>วันเกิด</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Searching…</source>
        <translation>กำลังค้นหา…</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>%1 of %2 people</source>
        <translation>%1 จาก %2 คน</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Could not read the register: %1</source>
        <translation>อ่านทะเบียนประวัติไม่ได้: %1</translation>
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
        <location filename="../../ui/sync_status_bar.py" line="+87"/>
        <source>%1: %2</source>
        <extracomment>How often &quot;5 minutes ago&quot; is brought up to date while the bar is shown. The user clicked the count of items needing attention.</extracomment>
        <translation>%1: %2</translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>%n change(s) to send</source>
        <translation>
            <numerusform>รอส่ง %n รายการ</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>nothing to send</source>
        <translation>ไม่มีงานค้างส่ง</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Changes saved on this PC that the central has not received yet</source>
        <translation>งานที่บันทึกในเครื่องนี้แต่ศูนย์กลางยังไม่ได้รับ</translation>
    </message>
    <message numerus="yes">
        <location line="-7"/>
        <source>%n need(s) attention</source>
        <translation>
            <numerusform>ต้องตรวจสอบ %n รายการ</numerusform>
        </translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Changes the central did not accept: see why and what to do</source>
        <translation>งานที่ศูนย์กลางไม่รับ: ดูสาเหตุและวิธีแก้ไข</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sync now</source>
        <translation>ซิงค์ตอนนี้</translation>
    </message>
    <message>
        <location line="+3"/>
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
    <message>
        <location line="+1"/>
        <source>Log in again to send</source>
        <translation>ต้องเข้าสู่ระบบใหม่เพื่อส่งงาน</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not connected to a central</source>
        <translation>ยังไม่ได้เชื่อมต่อศูนย์กลาง</translation>
    </message>
    <message>
        <location line="+4"/>
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
        <source>Connected to the central</source>
        <translation>เชื่อมต่อกับศูนย์กลางแล้ว</translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>%n row(s) received</source>
        <translation>
            <numerusform>รับแล้ว %n รายการ</numerusform>
        </translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 of %2</source>
        <translation>%1/%2</translation>
    </message>
    <message>
        <location line="+5"/>
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
        <source>Last sync %1</source>
        <translation>ซิงค์ล่าสุด %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+21"/>
        <source>%1 at %2</source>
        <translation>%1 เวลา %2 น.</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>just now</source>
        <translation>เมื่อสักครู่</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n minute(s) ago</source>
        <translation>
            <numerusform>%n นาทีที่แล้ว</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>today at %1</source>
        <translation>วันนี้ %1 น.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>yesterday at %1</source>
        <translation>เมื่อวาน %1 น.</translation>
    </message>
</context>
<context>
    <name>TaskRunner</name>
    <message>
        <location filename="../../ui/tasks.py" line="+371"/>
        <source>Something went wrong</source>
        <extracomment>How often the GUI reads a running task&apos;s progress. A failure of a task that has no ``on_failure``; the main window shows it.</extracomment>
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
</TS>
